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

    Init(IOperation operation, bool complete)
    {
        Operation = operation;
        Complete = complete;
    }

    /// <summary>The object creation, or the <c>with</c> expression, that made the object.</summary>
    public IOperation Operation { get; }

    /// <summary>The object's type.</summary>
    public ITypeSymbol? Type => Operation.Type;

    /// <summary>
    /// Whether every member the object does not set is known to keep its default. False for <c>x with { … }</c> when
    /// <c>x</c> cannot be seen: its other members are unknown, and rules stay silent on them.
    /// </summary>
    public bool Complete { get; }

    public static Init Of(IObjectCreationOperation creation)
    {
        var init = new Init(creation, complete: true);
        foreach (var argument in creation.Arguments)
            if (argument.Parameter is { } parameter && argument.ArgumentKind != ArgumentKind.DefaultValue)
                init._values[Capitalize(parameter.Name)] = argument.Value;
        init.Add(creation.Initializer);
        return init;
    }

    void Add(IObjectOrCollectionInitializerOperation? initializer)
    {
        if (initializer is null) return;
        foreach (var item in initializer.Initializers)
        {
            switch (item)
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

    /// <summary>
    /// The object an expression makes, as far as the analyzer can see it: an object creation; <c>x with { … }</c> (what
    /// <c>x</c> is known to hold, with the initializer's members replaced); or a static read-only field or get-only
    /// property of the same file whose initializer is one of these. Null when it is none of them.
    /// </summary>
    public static Init? Resolve(IOperation? operation) => Resolve(operation, depth: 0);

    static Init? Resolve(IOperation? operation, int depth)
    {
        if (operation is null || depth > 8) return null;
        operation = Constants.Unwrap(operation);
        switch (operation)
        {
            case IObjectCreationOperation creation:
                return Of(creation);
            case IWithOperation with:
                var receiver = Resolve(with.Operand, depth + 1);
                var init = new Init(with, receiver?.Complete ?? false);
                if (receiver is not null) foreach (var pair in receiver._values) init._values[pair.Key] = pair.Value;
                init.Add(with.Initializer);
                return init;
            case IFieldReferenceOperation { Field: { IsReadOnly: true } field } reference:
                return Resolve(Declared(reference, field), depth + 1);
            case IPropertyReferenceOperation { Property: { SetMethod: null, Parameters.Length: 0 } property } reference:
                return Resolve(Declared(reference, property), depth + 1);
            default:
                return null;
        }
    }

    /// <summary>The operation of a field's or property's initializer (or expression body), when it is declared in the same file.</summary>
    internal static IOperation? Declared(IOperation reference, ISymbol member)
    {
        if (reference.SemanticModel is not { } model) return null;
        foreach (var declaration in member.DeclaringSyntaxReferences)
        {
            if (declaration.SyntaxTree != model.SyntaxTree) continue;
            var node = declaration.GetSyntax();
            Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax? value = node switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax v => v.Initializer?.Value,
                Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax p => p.ExpressionBody?.Expression ?? p.Initializer?.Value,
                _ => null,
            };
            if (value is not null) return model.GetOperation(value);
        }
        return null;
    }

    static string Capitalize(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

    /// <summary>Whether the creation sets the member at all.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The operation that sets the member, if any.</summary>
    public IOperation? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

    /// <summary>Where to report a problem with a member: its assignment (or argument), else the whole creation.</summary>
    public Location Where(string name)
    {
        if (!_values.TryGetValue(name, out var value)) return Operation.Syntax.GetLocation();
        var node = value.Syntax;
        // Report on `Name = value` rather than on the bare value when the value sits in an assignment.
        return (node.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.ArgumentSyntax
            ? node.Parent : node).GetLocation();
    }

    /// <summary>The value expression of a member (for code fixes), if set.</summary>
    public SyntaxNode? ValueSyntax(string name) => _values.TryGetValue(name, out var value) ? value.Syntax : null;

    /// <summary>The member's constant integer: the default when it is not set, null when it is not a compile-time constant.</summary>
    public int? Int(string name, int? fallback) => Has(name) ? Constants.Int32(_values[name]) : Complete ? fallback : null;

    /// <summary>The member's constant string: the default when it is not set, null when it is not a compile-time constant.</summary>
    public string? String(string name, string? fallback) => Has(name) ? Constants.String(_values[name]) : Complete ? fallback : null;

    /// <summary>The member's constant boolean: the default when it is not set, null when it is not a compile-time constant.</summary>
    public bool? Bool(string name, bool? fallback) => Has(name) ? Constants.Boolean(_values[name]) : Complete ? fallback : null;

    /// <summary>Whether the object may set the member: it does, or it is not seen whole (<see cref="Complete"/>).</summary>
    public bool MaySet(string name) => Has(name) || !Complete;

    /// <summary>The object a member holds, as far as it can be seen (<see cref="Resolve(IOperation?)"/>).</summary>
    public Init? Object(string name) => Has(name) ? Resolve(_values[name]) : null;

    /// <summary>
    /// The elements of a collection-valued member when the whole collection is written here (an initializer, a collection
    /// expression or an array), empty when it is not set on a complete object; null when it cannot be seen.
    /// </summary>
    public List<IOperation>? KnownElements(string name)
    {
        if (!Has(name)) return Complete ? [] : null;
        var value = Constants.Unwrap(_values[name]);
        if (value is not (IObjectOrCollectionInitializerOperation or ICollectionExpressionOperation or IArrayCreationOperation or IObjectCreationOperation)) return null;
        return [.. Elements(name)];
    }

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
