using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Templates.Tests;

/// <summary>
/// Runs an Amazon States Language definition (JSONPath) against a fake AWS, on a virtual clock, for what a scheduled job's state
/// machine uses: Task, Pass, Choice, Wait, Parallel, Succeed and Fail states; Parameters, ResultSelector and ResultPath; Retry and
/// Catch; the intrinsics States.Array, States.ArrayLength, States.MathAdd and States.StringSplit. The semantics are the ones the
/// Step Functions developer guide states (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html:
/// the first retrier whose ErrorEquals matches decides; States.ALL matches every error and States.TaskFailed every error but
/// States.Timeout; a retrier's MaxAttempts defaults to 3, its IntervalSeconds to 1 and its BackoffRate to 2). Anything else it
/// meets fails the test, so a definition cannot pass by using a feature this simulator does not model.
/// </summary>
public sealed class StatesSimulator(Func<string, JsonObject, JsonNode> callService, string stateMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:job")
{
    /// <summary>Seconds elapsed on the virtual clock (Wait states and retry intervals advance it).</summary>
    public double Clock { get; private set; }

    /// <summary>The states entered, in order, with their names prefixed by the Parallel state that holds them.</summary>
    public List<string> Trace { get; } = [];

    /// <summary>Runs the whole definition: the Succeed state or Fail error it ends in.</summary>
    public Outcome Run(JsonObject definition, JsonNode? input = null) => RunStates(definition, input ?? new JsonObject(), "");

    /// <summary>How an execution (or a branch) ended: success, or a failure with its error name.</summary>
    public sealed record Outcome(bool Succeeded, string? Error, JsonNode? Output);

    sealed class StatesError(string error, string cause) : Exception(cause)
    {
        public string Error { get; } = error;
    }

    Outcome RunStates(JsonObject machine, JsonNode input, string prefix)
    {
        var states = machine["States"]!.AsObject();
        var name = (string)machine["StartAt"]!;
        var data = input;
        for (var steps = 0; ; steps++)
        {
            Assert.True(steps < 100_000, "The state machine does not end.");
            var state = states[name]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"No state '{name}'.");
            Trace.Add(prefix + name);
            var type = (string)state["Type"]!;
            string? next = (string?)state["Next"];
            switch (type)
            {
                case "Succeed":
                    return new Outcome(true, null, data);
                case "Fail":
                    return new Outcome(false, (string)state["Error"]!, null);
                case "Pass":
                {
                    var result = state["Parameters"] is JsonObject parameters ? Evaluate(parameters, data) : state["Result"]?.DeepClone() ?? data.DeepClone();
                    data = ApplyResultPath(state, data, result);
                    break;
                }
                case "Wait":
                    Clock += (int)state["Seconds"]!;
                    break;
                case "Choice":
                    next = state["Choices"]!.AsArray().FirstOrDefault(c => Matches(c!.AsObject(), data)) is { } choice
                        ? (string)choice["Next"]!
                        : (string?)state["Default"] ?? throw new StatesError("States.NoChoiceMatched", name);
                    break;
                case "Task":
                case "Parallel":
                {
                    var (result, error) = RunWithRetry(state, data, prefix + name + "/");
                    if (error is not null)
                    {
                        var handler = state["Catch"]?.AsArray().FirstOrDefault(c => ErrorMatches(c!["ErrorEquals"]!.AsArray(), error.Error));
                        if (handler is null) return new Outcome(false, error.Error, null);
                        data = ApplyResultPath(handler.AsObject(), data, new JsonObject { ["Error"] = error.Error, ["Cause"] = error.Message });
                        next = (string)handler["Next"]!;
                        break;
                    }
                    data = ApplyResultPath(state, data, result!);
                    break;
                }
                default:
                    throw new Xunit.Sdk.XunitException($"The simulator does not model {type} states ({name}).");
            }
            if (state["End"] is JsonValue end && (bool)end) return new Outcome(true, null, data);
            name = next ?? throw new Xunit.Sdk.XunitException($"State '{name}' has neither Next nor End.");
        }
    }

    (JsonNode? Result, StatesError? Error) RunWithRetry(JsonObject state, JsonNode data, string prefix)
    {
        var attempts = new Dictionary<JsonNode, int>();
        while (true)
        {
            StatesError? error;
            try
            {
                return (RunOnce(state, data, prefix), null);
            }
            catch (StatesError e)
            {
                error = e;
            }
            var retrier = state["Retry"]?.AsArray().FirstOrDefault(r => ErrorMatches(r!["ErrorEquals"]!.AsArray(), error.Error));
            if (retrier is null) return (null, error);
            var done = attempts.GetValueOrDefault(retrier);
            var max = retrier["MaxAttempts"] is { } m ? (int)m : 3;
            if (done >= max) return (null, error);
            attempts[retrier] = done + 1;
            var interval = (retrier["IntervalSeconds"] is { } i ? Num(i) : 1) * Math.Pow(retrier["BackoffRate"] is { } b ? Num(b) : 2, done);
            Clock += retrier["MaxDelaySeconds"] is { } cap ? Math.Min(interval, Num(cap)) : interval;
        }
    }

    JsonNode RunOnce(JsonObject state, JsonNode data, string prefix)
    {
        if ((string)state["Type"]! == "Parallel")
        {
            var input = state["Parameters"] is JsonObject p ? Evaluate(p, data) : data.DeepClone();
            var outputs = new JsonArray();
            foreach (var branch in state["Branches"]!.AsArray())
            {
                var outcome = RunStates(branch!.AsObject(), input.DeepClone(), prefix);
                if (!outcome.Succeeded) throw new StatesError(outcome.Error!, "branch failed");
                outputs.Add(outcome.Output);
            }
            return outputs;
        }
        var parameters = state["Parameters"] is JsonObject taskParameters ? (JsonObject)Evaluate(taskParameters, data) : new JsonObject();
        JsonNode result;
        try
        {
            result = callService((string)state["Resource"]!, parameters);
        }
        catch (ServiceError e)
        {
            throw new StatesError(e.Error, e.Message);
        }
        return state["ResultSelector"] is JsonObject selector ? Evaluate(selector, result) : result;
    }

    /// <summary>An error a fake service raises, as Step Functions names it (<c>Ecs.EcsException</c>, <c>States.TaskFailed</c>…).</summary>
    public sealed class ServiceError(string error, string message) : Exception(message)
    {
        public string Error { get; } = error;
    }

    static double Num(JsonNode node) => double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    static bool ErrorMatches(JsonArray equals, string error) => equals.Select(e => (string)e!).Any(e =>
        e == error || e == "States.ALL" || (e == "States.TaskFailed" && error != "States.Timeout"));

    static JsonNode ApplyResultPath(JsonObject state, JsonNode data, JsonNode result)
    {
        if (!state.ContainsKey("ResultPath")) return result.DeepClone();
        if (state["ResultPath"] is null) return data;
        var path = (string)state["ResultPath"]!;
        if (path == "$") return result.DeepClone();
        var copy = data.DeepClone().AsObject();
        var keys = path[2..].Split('.');
        var target = copy;
        foreach (var key in keys[..^1])
            target = target[key] as JsonObject ?? (JsonObject)(target[key] = new JsonObject());
        target[keys[^1]] = result.DeepClone();
        return copy;
    }

    bool Matches(JsonObject rule, JsonNode data)
    {
        // Every member of an And is evaluated: no page says that And stops at its first false member.
        if (rule["And"] is JsonArray all) return all.Select(r => Matches(r!.AsObject(), data)).ToList().All(m => m);
        var path = (string)rule["Variable"]!;
        var value = Select(data, path);
        if (rule["IsPresent"] is { } present) return (value is not null) == (bool)present;
        if (value is null) throw new StatesError("States.Runtime", $"Invalid path '{path}': the choice state's condition path references an invalid value.");
        foreach (var (op, operand) in rule)
            switch (op)
            {
                case "Variable" or "Next":
                    continue;
                case "StringEquals":
                    return value.GetValueKind() == System.Text.Json.JsonValueKind.String && (string)value! == (string)operand!;
                case "NumericEquals":
                    return value.GetValueKind() == System.Text.Json.JsonValueKind.Number && Num(value) == Num(operand!);
                case "NumericGreaterThan":
                    return Num(value) > Num(operand!);
                case "NumericLessThanEquals":
                    return Num(value) <= Num(operand!);
                default:
                    throw new Xunit.Sdk.XunitException($"The simulator does not model the comparison {op}.");
            }
        throw new Xunit.Sdk.XunitException("A choice rule without a comparison.");
    }

    JsonNode Evaluate(JsonObject template, JsonNode data)
    {
        var result = new JsonObject();
        foreach (var (key, value) in template)
        {
            if (key.EndsWith(".$", StringComparison.Ordinal))
            {
                var expression = (string)value!;
                result[key[..^2]] = (expression.StartsWith("States.", StringComparison.Ordinal) ? Intrinsic(expression, data) : Select(data, expression)
                    ?? throw new StatesError("States.Runtime", $"The JSONPath '{expression}' could not be found in the input."))?.DeepClone();
            }
            else
            {
                result[key] = value is JsonObject nested ? Evaluate(nested, data) : value?.DeepClone();
            }
        }
        return result;
    }

    JsonNode Intrinsic(string expression, JsonNode data)
    {
        var match = Regex.Match(expression, @"^(States\.\w+)\((.*)\)$");
        Assert.True(match.Success, $"Not an intrinsic function: {expression}");
        var arguments = Regex.Matches(match.Groups[2].Value, @"'[^']*'|[^,\s]+").Select(m => m.Value).Select(a =>
            a.StartsWith('\'') ? JsonValue.Create(a[1..^1]) :
            a.StartsWith('$') ? Select(data, a) ?? throw new StatesError("States.Runtime", $"The JSONPath '{a}' could not be found.") :
            (JsonNode)JsonValue.Create(int.Parse(a, CultureInfo.InvariantCulture))).ToList();
        return match.Groups[1].Value switch
        {
            "States.Array" => new JsonArray([.. arguments.Select(a => a!.DeepClone())]),
            "States.ArrayLength" => JsonValue.Create(arguments[0]!.AsArray().Count),
            "States.MathAdd" => JsonValue.Create((int)Num(arguments[0]!) + (int)Num(arguments[1]!)),
            "States.StringSplit" => new JsonArray([.. ((string)arguments[0]!).Split((string)arguments[1]!).Select(s => (JsonNode)JsonValue.Create(s)!)]),
            var other => throw new Xunit.Sdk.XunitException($"The simulator does not model {other}."),
        };
    }

    JsonNode? Select(JsonNode data, string path)
    {
        JsonNode? node;
        string rest;
        if (path.StartsWith("$$.", StringComparison.Ordinal))
        {
            node = new JsonObject { ["StateMachine"] = new JsonObject { ["Id"] = stateMachineArn } };
            rest = path[3..];
        }
        else
        {
            Assert.StartsWith("$", path);
            node = data;
            rest = path.Length > 1 ? path[2..] : "";
        }
        foreach (Match part in Regex.Matches(rest, @"([^.\[\]]+)|\[(\d+)\]"))
        {
            if (node is null) return null;
            if (part.Groups[2].Success)
            {
                var index = int.Parse(part.Groups[2].Value, CultureInfo.InvariantCulture);
                node = node is JsonArray list && index < list.Count ? list[index] : null;
            }
            else
            {
                node = node is JsonObject o ? o[part.Groups[1].Value] : null;
            }
        }
        return node;
    }
}
