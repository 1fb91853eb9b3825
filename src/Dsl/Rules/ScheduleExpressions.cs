using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Templates.Rules;

/// <summary>
/// EventBridge Scheduler's schedule expressions, read as AWS documents them, so that a wrong one is a compile-time error
/// rather than a failed deployment (cfn-lint checks <c>AWS::Events::Rule</c>'s expressions, not <c>AWS::Scheduler::Schedule</c>'s):
/// <list type="bullet">
/// <item><c>rate(value unit)</c>: a positive whole number and <c>minute</c>, <c>hour</c> or <c>day</c>, singular for 1 and plural
/// otherwise ("rate(1 hours) and rate(5 hour) aren't valid");</item>
/// <item><c>cron(minutes hours day-of-month month day-of-week year)</c>: six fields, one of day-of-month and day-of-week a
/// <c>?</c>, the wildcards <c>, - * / ? L W #</c> where each field allows them;</item>
/// <item><c>at(yyyy-mm-ddThh:mm:ss)</c>: one run.</item>
/// </list>
/// https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html (the unit's number is stated, with the quote
/// above, in https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html) and the field table of
/// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html. Only the forms those pages
/// document are accepted.
/// </summary>
public static class ScheduleExpressions
{
    /// <summary>Why the expression is not one EventBridge Scheduler accepts, with what to write instead; null when it is.</summary>
    public static (string Problem, string Fix)? Check(string expression)
    {
        var text = expression.Trim();
        if (text.Length != expression.Length) return ("The expression has spaces around it.", $"Write it without them: {text}.");
        if (Inside(text, "rate") is { } rate) return Rate(rate);
        if (Inside(text, "cron") is { } cron) return Cron(cron);
        if (Inside(text, "at") is { } at) return At(at);
        return ("It is none of rate(…), cron(…) or at(…).",
            "Write rate(5 minutes), cron(0 3 * * ? *) (minutes hours day-of-month month day-of-week year) or at(2027-01-31T09:00:00).");
    }

    /// <summary>
    /// The expression a wrong one certainly means, for a code fix; null when it is valid or no single correction is certain.
    /// Only repairs that keep the meaning: spaces around it removed, the unit of <c>rate(…)</c> made singular for 1 and plural
    /// otherwise, a five-field (Unix) cron given the year <c>*</c>, and a <c>*</c> in day-of-month or day-of-week made the
    /// <c>?</c> AWS requires when the other day field is given (a <c>*</c> there restricts nothing, so the runs are the same).
    /// The result must pass <see cref="Check"/>.
    /// </summary>
    public static string? Suggested(string expression)
    {
        if (Check(expression) is null) return null;
        var candidate = Repair(expression.Trim());
        return candidate != expression && Check(candidate) is null ? candidate : null;
    }

    static string Repair(string text)
    {
        if (Inside(text, "rate") is { } rate)
        {
            var parts = rate.Split(' ');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1) return text;
            var singular = parts[1].EndsWith("s", StringComparison.Ordinal) ? parts[1].Substring(0, parts[1].Length - 1) : parts[1];
            return singular is "minute" or "hour" or "day" ? $"rate({parts[0]} {(value == 1 ? singular : singular + "s")})" : text;
        }
        if (Inside(text, "cron") is { } cron)
        {
            var fields = cron.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).ToList();
            if (fields.Count == 5) fields.Add("*");
            if (fields.Count != 6) return text;
            if (fields[2] != "?" && fields[4] != "?")
            {
                if (fields[4] == "*") fields[4] = "?";
                else if (fields[2] == "*") fields[2] = "?";
            }
            return "cron(" + string.Join(" ", fields) + ")";
        }
        return text;
    }

    static string? Inside(string text, string function) =>
        text.StartsWith(function + "(", StringComparison.Ordinal) && text.EndsWith(")", StringComparison.Ordinal)
            ? text.Substring(function.Length + 1, text.Length - function.Length - 2)
            : null;

    static (string, string)? Rate(string body)
    {
        var parts = body.Split(' ');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            return ($"rate({body}) is not a positive whole number and a unit.", "Write rate(N unit), such as rate(1 hour) or rate(15 minutes).");
        var unit = parts[1];
        var singular = unit.EndsWith("s", StringComparison.Ordinal) ? unit.Substring(0, unit.Length - 1) : unit;
        if (singular is not ("minute" or "hour" or "day"))
            return ($"'{unit}' is not a unit of rate(…): minutes, hours or days.", "Use minute(s), hour(s) or day(s); a week is rate(7 days).");
        var expected = value == 1 ? singular : singular + "s";
        return unit == expected ? null
            : ($"rate({body}) takes the {(value == 1 ? "singular" : "plural")} unit for {value}.", $"Write rate({value} {expected}).");
    }

    static (string, string)? At(string body) =>
        DateTime.TryParseExact(body, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null
            : ($"at({body}) is not a date and time written yyyy-mm-ddThh:mm:ss.", "Write the one run's time as at(2027-01-31T09:00:00), in the schedule's time zone.");

    // The six fields: name, lowest, highest, names for values, and the special characters beyond , - * / the field allows.
    sealed class Field(string name, int low, int high, string[]? names, string special)
    {
        public string Name { get; } = name;
        public int Low { get; } = low;
        public int High { get; } = high;
        public string[]? Names { get; } = names;
        public string Special { get; } = special;

        public int? Value(string token)
        {
            if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n >= Low && n <= High ? n : null;
            if (Names is not null)
                for (var i = 0; i < Names.Length; i++)
                    if (string.Equals(Names[i], token, StringComparison.OrdinalIgnoreCase)) return Low + i;
            return null;
        }
    }

    static readonly Field[] Fields =
    [
        new("minutes", 0, 59, null, ""),
        new("hours", 0, 23, null, ""),
        new("day-of-month", 1, 31, null, "?LW"),
        new("month", 1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], ""),
        new("day-of-week", 1, 7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], "?L#"),
        new("year", 1970, 2199, null, ""),
    ];

    static (string, string)? Cron(string body)
    {
        var parts = body.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6)
            return ($"cron({body}) has {parts.Length} field{(parts.Length == 1 ? "" : "s")}; it takes six: minutes hours day-of-month month day-of-week year.",
                parts.Length == 5 ? $"Add the year: cron({body} *)." : "Write cron(minutes hours day-of-month month day-of-week year), such as cron(0 3 * * ? *).");
        for (var i = 0; i < 6; i++)
            if (FieldProblem(Fields[i], parts[i]) is { } problem)
                return ($"cron({body}): {problem}", $"Write the {Fields[i].Name} field as AWS documents it: values {Range(Fields[i])}, lists (a,b), ranges (a-b), * and increments (a/b){Specials(Fields[i])}.");
        var (dayOfMonth, dayOfWeek) = (parts[2], parts[4]);
        if ((dayOfMonth == "?") == (dayOfWeek == "?"))
            return ($"cron({body}) gives {(dayOfMonth == "?" ? "neither" : "both")} day-of-month ({dayOfMonth}) and day-of-week ({dayOfWeek}); exactly one of them must be ?.",
                dayOfMonth == "?" ? $"Give one of them: cron({parts[0]} {parts[1]} * {parts[3]} ? {parts[5]}) runs every day." : $"Write ? for the one that does not matter: cron({parts[0]} {parts[1]} {dayOfMonth} {parts[3]} ? {parts[5]}).");
        return null;
    }

    static string Range(Field f) => f.Names is null ? $"{f.Low}-{f.High}" : $"{f.Low}-{f.High} or {f.Names[0]}-{f.Names[f.Names.Length - 1]}";

    static string Specials(Field f) => f.Special switch
    {
        "?LW" => ", ? (any), L (the last day) and nW (the weekday nearest day n)",
        "?L#" => ", ? (any), L or nL (the last day n of the month) and n#k (the k-th day n of the month, alone in the field)",
        _ => "",
    };

    static string? FieldProblem(Field f, string text)
    {
        if (text == "?") return f.Special.Contains('?') ? null : $"? is not allowed in the {f.Name} field.";
        if (f.Special.Contains('#') && text.Contains('#'))
        {
            // "3#2": the second Tuesday; only one such expression in the field.
            var hash = text.Split('#');
            return hash.Length == 2 && f.Value(hash[0]) is not null && int.TryParse(hash[1], NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1 && k <= 5
                ? null
                : $"'{text}' in the {f.Name} field: n#k takes a day (1-7 or SUN-SAT) and which of them in the month (1-5), alone in the field.";
        }
        if (f.Special.Contains('L'))
        {
            if (text == "L") return null;
            // Day-of-week "5L": the last Thursday of the month.
            if (f.Name == "day-of-week" && text.EndsWith("L", StringComparison.Ordinal) && f.Value(text.Substring(0, text.Length - 1)) is not null) return null;
        }
        if (f.Special.Contains('W') && text.EndsWith("W", StringComparison.Ordinal))
            return f.Value(text.Substring(0, text.Length - 1)) is not null ? null : $"'{text}' in the {f.Name} field: nW takes a day of the month, 1-31.";
        foreach (var item in text.Split(','))
            if (ItemProblem(f, item) is { } problem) return problem;
        return null;
    }

    static string? ItemProblem(Field f, string item)
    {
        if (item.Length == 0) return $"an empty item in the {f.Name} field.";
        var slash = item.Split('/');
        if (slash.Length > 2) return $"'{item}' in the {f.Name} field has more than one /.";
        if (slash.Length == 2 && (!int.TryParse(slash[1], NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step < 1 || step > f.High - f.Low + 1))
            return $"'{item}' in the {f.Name} field: the increment after / is a whole number from 1 to {f.High - f.Low + 1}.";
        var start = slash[0];
        if (start == "*") return null;
        var dash = start.Split('-');
        if (dash.Length > 2 || dash.Any(d => f.Value(d) is null))
            return $"'{item}' in the {f.Name} field is not {(dash.Length == 2 ? "a range of values" : "a value")} of {Range(f)}.";
        return null;
    }
}
