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

    /// <summary>The constant integer value, or null when the value is not a compile-time constant.</summary>
    internal static int? Int32(IOperation operation)
    {
        var constant = Unwrap(operation).ConstantValue;
        if (!constant.HasValue) constant = operation.ConstantValue;
        return constant.HasValue && constant.Value is int i ? i : null;
    }
}
