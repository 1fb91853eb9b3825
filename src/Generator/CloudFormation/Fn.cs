using System.Text.Json.Nodes;

namespace Templates.Generation.CloudFormation;

/// <summary>CloudFormation intrinsic functions and pseudo parameters, as JSON nodes.</summary>
public static class Fn
{
    /// <summary><c>{"Ref": name}</c>: a parameter's value, or a resource's primary identifier.</summary>
    public static JsonObject Ref(string name) => new() { ["Ref"] = name };

    /// <summary><c>{"Fn::GetAtt": [resource, attribute]}</c>.</summary>
    public static JsonObject GetAtt(string resource, string attribute) => new() { ["Fn::GetAtt"] = new JsonArray(resource, attribute) };

    /// <summary><c>{"Fn::Sub": text}</c>, with <c>${Name}</c> and <c>${Resource.Attribute}</c> placeholders.</summary>
    public static JsonObject Sub(string text) => new() { ["Fn::Sub"] = text };

    /// <summary><c>{"Fn::Select": [index, list]}</c>.</summary>
    public static JsonObject Select(int index, JsonNode list) => new() { ["Fn::Select"] = new JsonArray(index, list) };

    /// <summary><c>{"Fn::Split": [delimiter, text]}</c>.</summary>
    public static JsonObject Split(string delimiter, JsonNode text) => new() { ["Fn::Split"] = new JsonArray(delimiter, text) };

    /// <summary><c>{"Fn::Join": [delimiter, [parts…]]}</c>.</summary>
    public static JsonObject Join(string delimiter, params JsonNode[] parts) => new() { ["Fn::Join"] = new JsonArray(delimiter, new JsonArray(parts)) };

    /// <summary><c>{"Fn::GetAZs": ""}</c>: the Availability Zones of the stack's region.</summary>
    public static JsonObject GetAZs() => new() { ["Fn::GetAZs"] = "" };

    /// <summary><c>{"Fn::If": [condition, whenTrue, whenFalse]}</c>.</summary>
    public static JsonObject If(string condition, JsonNode whenTrue, JsonNode whenFalse) => new() { ["Fn::If"] = new JsonArray(condition, whenTrue, whenFalse) };

    /// <summary><c>{"Fn::Equals": [a, b]}</c>, for the Conditions section.</summary>
    public static JsonObject EqualsTo(JsonNode a, JsonNode b) => new() { ["Fn::Equals"] = new JsonArray(a, b) };

    /// <summary>The stack's region.</summary>
    public static JsonObject Region => Ref("AWS::Region");

    /// <summary>The stack's own ECR registry host, as text for <c>Fn::Sub</c> (partition-aware through <c>AWS::URLSuffix</c>).</summary>
    public const string EcrRegistry = "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}";

    /// <summary>The ARN of the ECR repository <paramref name="name"/> in the stack's account and region, as text for <c>Fn::Sub</c>.</summary>
    public static string EcrRepositoryArn(string name) => $"arn:${{AWS::Partition}}:ecr:${{AWS::Region}}:${{AWS::AccountId}}:repository/{name}";
}
