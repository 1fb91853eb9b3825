using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Templates.Rules;

namespace Templates.Generation.Model;

/// <summary>
/// Finds every null the definition holds where the DSL declares a value (rule TPL0040): a string, an object, a collection
/// or an element of one whose type is not nullable (<c>string</c>, not <c>string?</c>). The compiler stops a literal null
/// there, but not <c>null!</c>, an unset environment variable (<c>Environment.GetEnvironmentVariable</c> returns null) or a
/// configuration binder. It walks the DSL types by reflection, reading their nullable annotations, so a setting added to the
/// DSL is covered without a list to keep up to date; the other rules run only on an app without such a null.
/// </summary>
public static class MissingValues
{
    static readonly Assembly Dsl = typeof(App).Assembly;
    static readonly ConcurrentDictionary<Type, (PropertyInfo Property, NullabilityInfo Nullability)[]> Properties = new();

    /// <summary>Every null required value of the app, as findings naming the environment (for a value inside one) and the setting.</summary>
    public static IReadOnlyList<Finding> Find(App app)
    {
        EnsureReflectable();
        var found = new List<Finding>();
        Walk(app, "", null, app.Name ?? "(unnamed app)", found);
        return found;
    }

    // Only the DSL's own types are walked (see Visit), and the DSL assembly's ILLink.Descriptors.xml keeps all their members
    // when the definitions are trimmed or compiled ahead of time (dotnet publish definitions -p:Aot=true).
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "DSL types only; the DSL's ILLink.Descriptors.xml preserves them.")]
    static (PropertyInfo Property, NullabilityInfo Nullability)[] PropertiesOf(Type type) => Properties.GetOrAdd(type, t =>
    {
        var context = new NullabilityInfoContext();
        return [.. t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && !p.PropertyType.IsValueType)
            .OrderBy(DeclarationOrder)
            .Select(p => (p, context.Create(p)))];
    });

    // A trimmed or natively compiled program can lose what the walk reads, and would then find nothing rather than fail: no
    // properties when the DSL's members were trimmed, no nullable annotations when NullabilityInfoContextSupport is off.
    static void EnsureReflectable()
    {
        var name = PropertiesOf(typeof(App)).FirstOrDefault(p => p.Property.Name == nameof(App.Name));
        if (name.Property is null)
            throw new InvalidOperationException("The DSL's properties cannot be read by reflection: the program was trimmed without the DSL assembly's ILLink.Descriptors.xml.");
        if (name.Nullability.ReadState != NullabilityState.NotNull)
            throw new InvalidOperationException("The DSL's nullable annotations cannot be read: publish with <NullabilityInfoContextSupport>true</NullabilityInfoContextSupport>, as definitions/Definitions.csproj does.");
    }

    // The order properties are declared in, so findings read as the type does: the metadata token where the runtime has one;
    // native AOT keeps no tokens (it throws), and its reflection lists properties in declaration order already (a stable sort keeps it).
    static int DeclarationOrder(PropertyInfo property)
    {
        try { return property.MetadataToken; }
        catch (InvalidOperationException) { return 0; }
    }

    static void Walk(object owner, string path, string? env, string app, List<Finding> found)
    {
        foreach (var (property, nullability) in PropertiesOf(owner.GetType()))
        {
            var setting = path.Length == 0 ? (property.Name == nameof(App.Name) && owner is App ? "App name" : property.Name) : $"{path}.{property.Name}";
            var value = property.GetValue(owner);
            var what = $"{owner.GetType().Name}.{property.Name}";
            if (value is null)
            {
                if (nullability.ReadState == NullabilityState.NotNull) Add(found, app, env, setting, what);
                continue;
            }
            Visit(value, nullability, setting, what, env, app, found, property.Name == nameof(App.Environments) && owner is App);
        }
    }

    static void Visit(object value, NullabilityInfo nullability, string setting, string what, string? env, string app, List<Finding> found, bool environments = false)
    {
        switch (value)
        {
            case string:
                return;
            case IDictionary dictionary:
                var valueNullability = nullability.GenericTypeArguments.Length == 2 ? nullability.GenericTypeArguments[1] : null;
                foreach (DictionaryEntry entry in dictionary)
                {
                    var entrySetting = $"{setting}[{entry.Key}]";
                    if (entry.Value is null)
                    {
                        if (valueNullability?.ReadState == NullabilityState.NotNull) Add(found, app, env, entrySetting, $"{what}[\"{entry.Key}\"]");
                    }
                    else if (valueNullability is not null) Visit(entry.Value, valueNullability, entrySetting, $"{what}[\"{entry.Key}\"]", env, app, found);
                }
                return;
            case IEnumerable items:
                var elementNullability = nullability.ElementType ?? (nullability.GenericTypeArguments.Length == 1 ? nullability.GenericTypeArguments[0] : null);
                var index = 0;
                foreach (var item in items)
                {
                    var label = environments && item is Env { Name: { } name } ? name : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    var itemSetting = $"{setting}[{label}]";
                    if (item is null)
                    {
                        if (elementNullability?.ReadState == NullabilityState.NotNull) Add(found, app, env, itemSetting, $"an element of {what}");
                    }
                    else if (environments) Walk(item, itemSetting, (item as Env)?.Name ?? $"#{index}", app, found);
                    else if (elementNullability is not null) Visit(item, elementNullability, itemSetting, $"an element of {what}", env, app, found);
                    index++;
                }
                return;
            default:
                if (value.GetType().Assembly == Dsl) Walk(value, setting, env, app, found);
                return;
        }
    }

    static void Add(List<Finding> found, string app, string? env, string setting, string what)
    {
        var v = Checks.MissingValue(what);
        found.Add(new Finding(v.Rule, v.Rule.Severity, app, env is null ? [] : [env], setting, v.Message, v.Fix));
    }
}
