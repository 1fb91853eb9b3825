using Templates.Rules;

namespace Templates.Tests;

/// <summary>
/// EventBridge Scheduler's expressions: every example of AWS's pages is accepted, and each form the pages call invalid is
/// rejected with the expression to write instead.
/// </summary>
public class ScheduleExpressionTests
{
    [Theory]
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html, its examples of cron expressions.
    [InlineData("cron(0 10 * * ? *)")]
    [InlineData("cron(15 12 * * ? *)")]
    [InlineData("cron(0 18 ? * MON-FRI *)")]
    [InlineData("cron(0 8 1 * ? *)")]
    [InlineData("cron(0/15 * * * ? *)")]
    [InlineData("cron(0/10 * ? * MON-FRI *)")]
    [InlineData("cron(0/5 8-17 ? * MON-FRI *)")]
    [InlineData("cron(0 9 ? * 2#1 *)")]
    // Its wildcards: L and nW in the day of the month, nL in the day of the week, names in either case, years.
    [InlineData("cron(0 0 L * ? *)")]
    [InlineData("cron(0 0 3W * ? *)")]
    [InlineData("cron(0 0 ? * 5L *)")]
    [InlineData("cron(30 2 ? jan,jul sun 2027-2030)")]
    [InlineData("cron(0 12 1,15 * ? *)")]
    // Rate and one-time schedules (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
    [InlineData("rate(1 minute)")]
    [InlineData("rate(5 minutes)")]
    [InlineData("rate(1 hour)")]
    [InlineData("rate(12 hours)")]
    [InlineData("rate(1 day)")]
    [InlineData("rate(7 days)")]
    [InlineData("at(2027-01-31T09:00:00)")]
    public void What_AWS_documents_is_accepted(string expression) => Assert.Null(ScheduleExpressions.Check(expression));

    [Theory]
    // "rate(1 hours) and rate(5 hour) aren't valid, but rate(1 hour) and rate(5 hours) are valid."
    [InlineData("rate(1 hours)", "Write rate(1 hour).")]
    [InlineData("rate(5 hour)", "Write rate(5 hours).")]
    [InlineData("rate(0 minutes)", "Write rate(N unit)")]
    [InlineData("rate(2 weeks)", "a week is rate(7 days)")]
    [InlineData("rate(5minutes)", "Write rate(N unit)")]
    // Six fields, the year last; "You can't use * in both the Day-of-month and Day-of-week fields".
    [InlineData("cron(0 10 * * *)", "Add the year: cron(0 10 * * * *).")]
    [InlineData("cron(0 10 * * * *)", "cron(0 10 * * ? *)")]
    [InlineData("cron(0 10 ? * ? *)", "cron(0 10 * * ? *) runs every day")]
    [InlineData("cron(0 10 1 * MON *)", "cron(0 10 1 * ? *)")]
    [InlineData("cron(60 * * * ? *)", "values 0-59")]
    [InlineData("cron(0 24 * * ? *)", "values 0-23")]
    [InlineData("cron(0 0 32 * ? *)", "values 1-31")]
    [InlineData("cron(0 0 ? 13 MON *)", "values 1-12 or JAN-DEC")]
    [InlineData("cron(0 0 ? * 8 *)", "values 1-7 or SUN-SAT")]
    [InlineData("cron(0 0 * * ? 2200)", "values 1970-2199")]
    [InlineData("cron(0/0 * * * ? *)", "increments (a/b)")]
    [InlineData("cron(0 0 ? * MON#6 *)", "n#k")]
    // "If you use #, you can define only one expression in the day-of-week field: "3#1,6#3" is not valid."
    [InlineData("cron(0 0 ? * 3#1,6#3 *)", "n#k")]
    [InlineData("cron(0 0 L ? ? *)", "? is not allowed in the month field")]
    [InlineData("cron(0 ? * * ? *)", "values 0-23")]
    [InlineData("cron(0 0 ? * MON-FRI, *)", "an empty item in the day-of-week field")]
    [InlineData("at(2027-13-01T00:00:00)", "at(2027-01-31T09:00:00)")]
    [InlineData("at(2027-01-31 09:00)", "at(2027-01-31T09:00:00)")]
    [InlineData("every day at 3", "rate(5 minutes)")]
    [InlineData(" rate(5 minutes)", "Write it without them: rate(5 minutes).")]
    public void What_AWS_rejects_is_an_error_with_the_fix(string expression, string fix)
    {
        var found = ScheduleExpressions.Check(expression);

        Assert.NotNull(found);
        Assert.Contains(fix, found.Value.Fix + " " + found.Value.Problem, StringComparison.Ordinal);
    }

    [Theory]
    // The corrections a code fix may make: each keeps the runs the author meant, and each result is valid.
    [InlineData("rate(1 hours)", "rate(1 hour)")]
    [InlineData("rate(5 minute)", "rate(5 minutes)")]
    [InlineData(" rate(1 day)", "rate(1 day)")]
    [InlineData(" rate(2 day) ", "rate(2 days)")]
    // A Unix cron: the year added; * in the day of the week (or of the month) is the ? AWS wants, since it restricts nothing.
    [InlineData("cron(0 3 * * *)", "cron(0 3 * * ? *)")]
    [InlineData("cron(0 3 * * * *)", "cron(0 3 * * ? *)")]
    [InlineData("cron(0 18 * * MON-FRI *)", "cron(0 18 ? * MON-FRI *)")]
    [InlineData("cron(0 8 1 * *)", "cron(0 8 1 * ? *)")]
    public void A_wrong_expression_with_one_certain_meaning_has_a_suggestion(string expression, string expected)
    {
        Assert.NotNull(ScheduleExpressions.Check(expression));
        Assert.Equal(expected, ScheduleExpressions.Suggested(expression));
        Assert.Null(ScheduleExpressions.Check(expected));
    }

    [Theory]
    [InlineData("rate(1 hour)")] // valid: nothing to suggest
    [InlineData("every day")]
    [InlineData("rate(0 minutes)")]
    [InlineData("rate(1 week)")]
    [InlineData("cron(0 3 1 * MON *)")] // the first of the month or Mondays: which one is meant is not certain
    [InlineData("cron(0 3 ? * ? *)")]
    [InlineData("cron(0 25 * * ? *)")]
    [InlineData("at(2027-02-30T09:00:00)")]
    public void Without_one_certain_meaning_nothing_is_suggested(string expression) => Assert.Null(ScheduleExpressions.Suggested(expression));

    [Theory]
    [InlineData("Order_API", "order-api")]
    [InlineData("1api", "api")]
    [InlineData("api--v2", "api-v2")]
    [InlineData("Orders ", "orders")]
    public void A_malformed_service_name_has_a_valid_suggestion(string name, string expected)
    {
        Assert.Equal($"Name it '{expected}'.", Checks.ServiceName(name)!.Fix);
        Assert.Equal(expected, Checks.SuggestedServiceName(name));
        Assert.Null(Checks.ServiceName(expected));
    }

    [Theory]
    [InlineData("123")]
    [InlineData("__")]
    public void A_name_with_nothing_to_keep_has_no_suggestion(string name)
    {
        Assert.Null(Checks.SuggestedServiceName(name));
        Assert.Equal("Name it with lowercase letters, digits and hyphens, such as 'api'.", Checks.ServiceName(name)!.Fix);
    }
}
