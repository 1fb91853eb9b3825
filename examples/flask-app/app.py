"""The guide's sample application: a page, a health check for the load balancer, and mail through Amazon SES.

The sender comes from the MAIL_SENDER environment variable, which the generated task definition sets to the SES
identity the task role may send as. Run locally with `python3 app.py` (PORT and HOST choose where it listens).
"""

import os

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/")
def index():
    return jsonify(app="flask-app", message="Hello from ECS Fargate")


@app.get("/health")
def health():
    # The target group's health check: cheap, no dependencies, 200 while the process serves requests.
    return jsonify(status="ok")


@app.post("/mail")
def send_mail():
    """Sends one message through SES: JSON {"to": "...", "subject": "...", "body": "..."}."""
    sender = os.environ.get("MAIL_SENDER")
    if not sender:
        return jsonify(error="MAIL_SENDER is not set"), 503
    payload = request.get_json(silent=True) or {}
    to = payload.get("to")
    if not to:
        return jsonify(error="'to' is required"), 400

    import boto3  # imported here so the app (and its health check) starts without AWS libraries or credentials

    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    ses = boto3.client("ses", region_name=region)
    response = ses.send_email(
        Source=sender,
        Destination={"ToAddresses": [to]},
        Message={
            "Subject": {"Data": payload.get("subject", "Hello from flask-app")},
            "Body": {"Text": {"Data": payload.get("body", "Sent through Amazon SES.")}},
        },
    )
    return jsonify(messageId=response["MessageId"]), 202


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "0.0.0.0"), port=int(os.environ.get("PORT", "5000")))
