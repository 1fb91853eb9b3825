using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Templates.Analyzers;

/// <summary>Reads compile-time constants through implicit conversions.</summary>
internal static class Constants
{
    internal static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion) operation = conversion.Operand;
        return operation;
    }

    static object? Value(IOperation operation)
    {
        var constant = operation.ConstantValue;
        if (!constant.HasValue) constant = Unwrap(operation).ConstantValue;
        return constant.HasValue ? constant.Value : null;
    }

    /// <summary>The constant integer value, or null when the value is not a compile-time constant.</summary>
    internal static int? Int32(IOperation operation) => Value(operation) is int i ? i : null;

    /// <summary>The constant string value, or null when the value is not a compile-time constant.</summary>
    internal static string? String(IOperation operation) => Value(operation) as string;

    /// <summary>The constant boolean value, or null when the value is not a compile-time constant.</summary>
    internal static bool? Boolean(IOperation operation) => Value(operation) is bool b ? b : null;
}
