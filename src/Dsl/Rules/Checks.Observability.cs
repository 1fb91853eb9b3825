using System;

namespace Templates.Rules;

// The observability rules (alarms, alerts): same shape as the others, pure functions over plain values.
public static partial class Checks
{
    /// <summary>
    /// TPL0060: a percentage threshold of an alarm (5xx rates, CPU, memory). A threshold of 0 would keep the alarm on while
    /// anything at all happens; above 100 it can never go off.
    /// </summary>
    public static Violation? AlarmPercent(string setting, int percent) =>
        percent is >= 1 and <= 100 ? null
            : new(RuleCatalog.TPL0060_AlarmThreshold, $"{setting} is {percent}; an alarm on a percentage needs a threshold from 1 to 100.",
                $"Set {setting} between 1 and 100.", setting);

    /// <summary>TPL0060: a count or duration threshold of an alarm (minimum requests, unhealthy tasks, response time), at least 1.</summary>
    public static Violation? AlarmCount(string setting, int value) =>
        value >= 1 ? null
            : new(RuleCatalog.TPL0060_AlarmThreshold, $"{setting} is {value}; it must be at least 1, or the alarm is on whenever nothing is wrong.",
                $"Set {setting} to 1 or more.", setting);

    /// <summary>TPL0060: every threshold of an <c>Alarms</c> object, in declaration order.</summary>
    public static System.Collections.Generic.IEnumerable<Violation> AlarmThresholds(int loadBalancer5xxPercent, int target5xxPercent, int minimumRequestsPerMinute,
        int responseTimeP99Milliseconds, int unhealthyTasks, int cpuPercent, int memoryPercent)
    {
        if (AlarmPercent("LoadBalancer5xxPercent", loadBalancer5xxPercent) is { } a) yield return a;
        if (AlarmPercent("Target5xxPercent", target5xxPercent) is { } b) yield return b;
        if (AlarmCount("MinimumRequestsPerMinute", minimumRequestsPerMinute) is { } c) yield return c;
        if (AlarmCount("ResponseTimeP99Milliseconds", responseTimeP99Milliseconds) is { } d) yield return d;
        if (AlarmCount("UnhealthyTasks", unhealthyTasks) is { } e) yield return e;
        if (AlarmPercent("CpuPercent", cpuPercent) is { } f) yield return f;
        if (AlarmPercent("MemoryPercent", memoryPercent) is { } g) yield return g;
    }

    /// <summary>TPL0061: the address an email subscription of SNS mails the alarms to (the same pragmatic check as TPL0026's).</summary>
    public static Violation? AlertAddress(string address)
    {
        if (address.Length <= 254 && EmailPattern.IsMatch(address)) return null;
        return new(RuleCatalog.TPL0061_AlertAddress, $"'{address}' is not an email address SNS can mail the alarms to.",
            "Set EmailAlerts' address to a full address such as ops@example.com.");
    }

    /// <summary>TPL0062: production only; a deployment that raises the 5xx rate or the response time then stays in place.</summary>
    public static Violation? AlarmRollback(bool rollbackOnAlarm, bool production) =>
        rollbackOnAlarm || !production ? null
            : new(RuleCatalog.TPL0062_NoAlarmRollback, "Production's deployments are not rolled back when a 5xx or response-time alarm goes off, so a bad release stays until someone notices.",
                "Remove RollbackOnAlarm = false (it is on by default), or accept TPL0062 with the reason.", "RollbackOnAlarm");
}
