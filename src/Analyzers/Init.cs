using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Templates.Analyzers;

/// <summary>
/// What an object creation of the DSL sets, as the analyzer can see it: constructor arguments and initializer
/// assignments by name. A value that is not a compile-time constant is recorded as unknown, so rules stay silent on it
/// (the generator checks it at run time).
/// </summary>
internal sealed class Init
{
    readonly Dictionary<string, IOperation> _values = new(System.StringComparer.Ordinal);

    Init(IObjectCreationOperation creation)
    {
        Creation = creation;
        foreach (var argument in creation.Arguments)
            if (argument.Parameter is { } parameter && argument.ArgumentKind != ArgumentKind.DefaultValue)
                _values[Capitalize(parameter.Name)] = argument.Value;
        if (creation.Initializer is null) return;
        foreach (var initializer in creation.Initializer.Initializers)
        {
            switch (initializer)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment:
                    _values[property.Property.Name] = assignment.Value;
                    break;
                case IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation property } member:
                    _values[property.Property.Name] = member.Initializer;
                    break;
            }
        }
    }

    public IObjectCreationOperation Creation { get; }

    public static Init Of(IObjectCreationOperation creation) => new(creation);

    static string Capitalize(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

    /// <summary>Whether the creation sets the member at all.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The operation that sets the member, if any.</summary>
    public IOperation? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

    /// <summary>Where to report a problem with a member: its assignment (or argument), else the whole creation.</summary>
    public Location Where(string name)
    {
        if (!_values.TryGetValue(name, out var value)) return Creation.Syntax.GetLocation();
        var node = value.Syntax;
        // Report on `Name = value` rather than on the bare value when the value sits in an assignment.
        return (node.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.ArgumentSyntax
            ? node.Parent : node).GetLocation();
    }

    /// <summary>The value expression of a member (for code fixes), if set.</summary>
    public SyntaxNode? ValueSyntax(string name) => _values.TryGetValue(name, out var value) ? value.Syntax : null;

    /// <summary>The member's constant integer: the default when it is not set, null when it is not a compile-time constant.</summary>
    public int? Int(string name, int? fallback) => Has(name) ? Constants.Int32(_values[name]) : fallback;

    /// <summary>The member's constant string: the default when it is not set, null when it is not a compile-time constant.</summary>
    public string? String(string name, string? fallback) => Has(name) ? Constants.String(_values[name]) : fallback;

    /// <summary>The member's constant boolean: the default when it is not set, null when it is not a compile-time constant.</summary>
    public bool? Bool(string name, bool? fallback) => Has(name) ? Constants.Boolean(_values[name]) : fallback;

    /// <summary>The member's value as an object creation (looking through conversions), if it is one.</summary>
    public IObjectCreationOperation? Creation_(string name) =>
        Has(name) ? Constants.Unwrap(_values[name]) as IObjectCreationOperation : null;

    /// <summary>The constant enum member name assigned, if any (e.g. "Private" for <c>TaskSubnets.Private</c>).</summary>
    public string? EnumName(string name)
    {
        if (!Has(name)) return null;
        var value = Constants.Unwrap(_values[name]);
        return value is IFieldReferenceOperation field && field.Field.ContainingType.TypeKind == TypeKind.Enum ? field.Field.Name : null;
    }

    /// <summary>The elements a collection-valued member is given: <c>{ a, b }</c> initializers, collection expressions or arrays.</summary>
    public IEnumerable<IOperation> Elements(string name)
    {
        if (!Has(name)) yield break;
        var value = Constants.Unwrap(_values[name]);
        if (value is IObjectOrCollectionInitializerOperation collection)
        {
            foreach (var item in collection.Initializers)
                if (item is IInvocationOperation { Arguments.Length: 1 } add) yield return Constants.Unwrap(add.Arguments[0].Value);
            yield break;
        }
        IOperation? source = value is IObjectCreationOperation { Initializer: { } init } ? init : null;
        source ??= value;
        foreach (var child in source.ChildOperations)
        {
            var element = Constants.Unwrap(child);
            if (element is IInvocationOperation { Arguments.Length: 1 } add) yield return Constants.Unwrap(add.Arguments[0].Value);
            else if (element is IArrayInitializerOperation array) foreach (var e in array.ElementValues) yield return Constants.Unwrap(e);
            else yield return element;
        }
    }

    /// <summary>The <c>["KEY"] = value</c> entries of a dictionary-valued member: key, value operation, and the entry's syntax.</summary>
    public IEnumerable<(string? Key, IOperation Value, SyntaxNode Syntax)> Entries(string name)
    {
        if (!Has(name)) yield break;
        var value = Constants.Unwrap(_values[name]);
        var initializer = value as IObjectOrCollectionInitializerOperation ?? (value as IObjectCreationOperation)?.Initializer;
        if (initializer is null) yield break;
        foreach (var item in initializer.Initializers)
        {
            if (item is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Arguments.Length: 1 } indexer } entry)
                yield return (Constants.String(indexer.Arguments[0].Value), entry.Value, entry.Syntax);
            else if (item is IInvocationOperation { Arguments.Length: 2 } add)
                yield return (Constants.String(add.Arguments[0].Value), add.Arguments[1].Value, add.Syntax);
        }
    }
}
