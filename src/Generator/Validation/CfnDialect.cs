using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using Json.Schema.Keywords;

namespace Templates.Generation.Validation;

/// <summary>
/// The JSON Schema dialect resource properties are evaluated with: draft-07 as JsonSchema.Net 8 implements it, made to
/// accept what CloudFormation accepts.
/// </summary>
/// <remarks>
/// <para>Why a dialect and not a pre-pass over the instance: an intrinsic function (<c>{"Ref": "X"}</c>, <c>{"Fn::Sub": …}</c>)
/// can stand for any value, and a value that satisfies the schema at that spot cannot be chosen without resolving
/// <c>$ref</c>, <c>oneOf</c> and <c>anyOf</c> ourselves. Instead every keyword handler is wrapped: on an intrinsic-function
/// object it passes, elsewhere it evaluates as usual. The engine keeps doing the applicators (<c>$ref</c>, <c>properties</c>,
/// <c>items</c>, <c>oneOf</c>…) and the output keeps exact instance locations.</para>
/// <para>Four assertions are our own, small and allocation-free: <c>type</c> (CloudFormation converts <c>"5000"</c> and
/// <c>"true"</c> to a number or a boolean, and a number or a boolean to a string, as cfn-lint accepts), <c>enum</c>/<c>const</c>
/// (compared the same lenient way), <c>pattern</c> (JsonSchema.Net compiles every pattern with <c>RegexOptions.Compiled</c>,
/// which costs far more at start-up than the few matches a template needs) and <c>required</c> (to name the missing property).</para>
/// <para><c>additionalProperties</c> is subclassed rather than wrapped: the engine orders it after <c>properties</c> and
/// <c>patternProperties</c> by the attributes of its class, which a wrapper would lose. <c>$ref</c>, <c>definitions</c>,
/// <c>then</c>, <c>else</c> and <c>additionalItems</c> stay as they are: they only apply subschemas, whose keywords are tolerant.</para>
/// </remarks>
public static class CfnDialect
{
    static readonly Lazy<Dialect> dialect = new(Create);

    /// <summary>The CloudFormation dialect; unknown keywords of the official schemas are ignored.</summary>
    public static Dialect Dialect => dialect.Value;

    /// <summary>Build options with the dialect and a registry of their own (one per schema set: their URIs may repeat).</summary>
    public static BuildOptions NewOptions() => new() { Dialect = Dialect, SchemaRegistry = new SchemaRegistry() };

    static Dialect Create()
    {
        // Built from the keyword handlers directly, not with Dialect.Draft07.With(…): touching the well-known dialects
        // builds all of them (draft 6 to v1, formats included), which costs more at start-up than validating a template.
        // properties, patternProperties, if and items are registered raw first, then wrapped under the same name:
        // the dialect looks the raw classes up by type to order additionalProperties, then, else and additionalItems after them.
        IKeywordHandler[] handlers =
        [
            RefKeyword.Instance, Json.Schema.Keywords.Draft06.DefinitionsKeyword.Instance, ThenKeyword.Instance, ElseKeyword.Instance,
            Json.Schema.Keywords.Draft06.AdditionalItemsKeyword.Instance, PropertiesKeyword.Instance, PatternPropertiesKeyword.Instance,
            IfKeyword.Instance, Json.Schema.Keywords.Draft06.ItemsKeyword.Instance,
            CfnType.Instance, CfnEnum.Instance, CfnConst.Instance, CfnPattern.Instance, CfnRequired.Instance, new CfnAdditionalProperties(),
            IdFormats.Keyword.Instance,
            new PropertySet("requiredXor"), new PropertySet("requiredOr"), new PropertyDependencies("dependentExcluded"), new PropertyDependencies("dependentRequired"),
            .. new IKeywordHandler[]
            {
                AllOfKeyword.Instance, AnyOfKeyword.Instance, OneOfKeyword.Instance, NotKeyword.Instance, IfKeyword.Instance,
                PropertiesKeyword.Instance, PatternPropertiesKeyword.Instance, PropertyNamesKeyword.Instance,
                MinPropertiesKeyword.Instance, MaxPropertiesKeyword.Instance, MinItemsKeyword.Instance, MaxItemsKeyword.Instance, UniqueItemsKeyword.Instance,
                MinLengthKeyword.Instance, MaxLengthKeyword.Instance, MinimumKeyword.Instance, MaximumKeyword.Instance,
                ExclusiveMinimumKeyword.Instance, ExclusiveMaximumKeyword.Instance, MultipleOfKeyword.Instance,
                Json.Schema.Keywords.Draft06.ItemsKeyword.Instance, Json.Schema.Keywords.Draft06.ContainsKeyword.Instance,
                Json.Schema.Keywords.Draft06.DependenciesKeyword.Instance,
            }.Select(h => (IKeywordHandler)new IntrinsicTolerant(h)),
        ];
        // Everything else (description, $schema, insertionOrder, tagging, …) is an annotation: ignored.
        return new Dialect(handlers) { AllowUnknownKeywords = true };
    }

    /// <summary>True for an object that is one intrinsic function: <c>{"Ref": …}</c>, <c>{"Fn::…": …}</c> or <c>{"Condition": …}</c>.</summary>
    public static bool IsIntrinsic(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) return false;
        using var properties = value.EnumerateObject();
        if (!properties.MoveNext()) return false;
        var name = properties.Current.Name;
        return (name == "Ref" || name.StartsWith("Fn::", StringComparison.Ordinal)) && !properties.MoveNext();
    }

    /// <summary>A dynamic reference (<c>{{resolve:ssm:…}}</c>) stands for any value, like an intrinsic function.</summary>
    internal static bool IsDynamicReference(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString()!.StartsWith("{{resolve:", StringComparison.Ordinal);

    internal static KeywordEvaluation Valid(string keyword) => new() { Keyword = keyword, IsValid = true };

    internal static KeywordEvaluation Invalid(string keyword, string error) => new() { Keyword = keyword, IsValid = false, Error = error };

    /// <summary>A short rendering of a value for messages.</summary>
    internal static string Show(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? "'" + value.GetString() + "'" : value.GetRawText();
        return text.Length > 60 ? text[..57] + "…" : text;
    }

    /// <summary>The text CloudFormation would see for a scalar: strings as they are, numbers and booleans as written.</summary>
    internal static string? ScalarText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    sealed class IntrinsicTolerant(IKeywordHandler inner) : IKeywordHandler
    {
        public string Name => inner.Name;
        public object? ValidateKeywordValue(JsonElement value) => inner.ValidateKeywordValue(value);
        public void BuildSubschemas(KeywordData keyword, BuildContext context) => inner.BuildSubschemas(keyword, context);

        public KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context) =>
            IsIntrinsic(context.Instance) || IsDynamicReference(context.Instance) ? Valid(Name) : inner.Evaluate(keyword, context);
    }

    sealed class CfnAdditionalProperties : AdditionalPropertiesKeyword
    {
        public override KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context) =>
            IsIntrinsic(context.Instance) ? Valid(Name) : base.Evaluate(keyword, context);
    }

    /// <summary><c>type</c>, with CloudFormation's conversions between strings, numbers and booleans.</summary>
    sealed class CfnType : IKeywordHandler
    {
        public static readonly CfnType Instance = new();
        public string Name => "type";

        public object? ValidateKeywordValue(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => new[] { value.GetString()! },
            JsonValueKind.Array => value.EnumerateArray().Select(v => v.GetString()!).ToArray(),
            _ => throw new JsonSchemaException("'type' must be a string or an array of strings"),
        };

        public void BuildSubschemas(KeywordData keyword, BuildContext context) { }

        public KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context)
        {
            var types = (string[])keyword.Value!;
            var value = context.Instance;
            if (IsIntrinsic(value)) return StandIn(types, value);
            if (IsDynamicReference(value)) return Valid(Name);
            foreach (var type in types)
                if (Accepts(type, value)) return Valid(Name);
            var expected = types.Length == 1 ? types[0] : string.Join(" or ", types);
            return Invalid(Name, $"{Show(value)} is not of type {expected}.");
        }

        /// <summary>
        /// A function's value against the types expected: a list (<c>Fn::Split</c>, a Ref to a <c>List&lt;…&gt;</c> parameter)
        /// fits only where "array" is allowed, and one value (<c>Fn::Join</c>, a Ref to a resource) fits anywhere but where
        /// only "array" is; a string where a number goes stays accepted, as CloudFormation converts it. A function whose value
        /// type is not known (no stand-in, see <c>ValueTypes.cs</c>) fits anywhere.
        /// </summary>
        KeywordEvaluation StandIn(string[] types, JsonElement value)
        {
            using var properties = value.EnumerateObject();
            properties.MoveNext();
            var (name, args) = (properties.Current.Name, properties.Current.Value);
            var isList = name == TemplateValidator.ListStandIn;
            if (!isList && name != TemplateValidator.ScalarStandIn) return Valid(Name);
            var what = args[0].GetString();
            var expected = types.Length == 1 ? types[0] : string.Join(" or ", types);
            if (isList && !types.Contains("array"))
                return Invalid(Name, $"{what} returns a list, where {Article(expected)} is expected.");
            if (!isList && types.All(t => t == "array"))
                return Invalid(Name, $"{what} returns a single value, where a list is expected: write [ {what} ], or use a function that returns a list.");
            return Valid(Name);
        }

        static string Article(string type) => (type[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an " : "a ") + type;

        static bool Accepts(string type, JsonElement value) => (type, value.ValueKind) switch
        {
            ("object", JsonValueKind.Object) or ("array", JsonValueKind.Array) or ("null", JsonValueKind.Null) => true,
            ("string", JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False) => true,
            ("boolean", JsonValueKind.True or JsonValueKind.False) => true,
            ("boolean", JsonValueKind.String) => value.GetString() is { } s && (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("false", StringComparison.OrdinalIgnoreCase)),
            ("number", JsonValueKind.Number) => true,
            ("number", JsonValueKind.String) => double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            ("integer", JsonValueKind.Number) => value.TryGetInt64(out _) || (value.TryGetDouble(out var d) && Math.Floor(d) == d),
            ("integer", JsonValueKind.String) => long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            _ => false,
        };
    }

    /// <summary><c>enum</c>: equal as JSON, or as the text CloudFormation converts a scalar to (<c>"7"</c> matches <c>7</c>).</summary>
    sealed class CfnEnum : IKeywordHandler
    {
        public static readonly CfnEnum Instance = new();
        public string Name => "enum";

        public object? ValidateKeywordValue(JsonElement value) =>
            value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToArray() : throw new JsonSchemaException("'enum' must be an array");

        public void BuildSubschemas(KeywordData keyword, BuildContext context) { }

        public KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context)
        {
            var allowed = (JsonElement[])keyword.Value!;
            var value = context.Instance;
            if (IsIntrinsic(value) || IsDynamicReference(value) || allowed.Any(a => Same(a, value))) return Valid(Name);
            var list = string.Join(", ", allowed.Take(12).Select(Show)) + (allowed.Length > 12 ? $", … ({allowed.Length} values)" : "");
            return Invalid(Name, $"{Show(value)} is not one of {list}.");
        }

        internal static bool Same(JsonElement a, JsonElement b) =>
            JsonElement.DeepEquals(a, b) || (ScalarText(a) is { } x && ScalarText(b) is { } y && x == y);
    }

    sealed class CfnConst : IKeywordHandler
    {
        public static readonly CfnConst Instance = new();
        public string Name => "const";
        public object? ValidateKeywordValue(JsonElement value) => value.Clone();
        public void BuildSubschemas(KeywordData keyword, BuildContext context) { }

        public KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context)
        {
            var expected = (JsonElement)keyword.Value!;
            var value = context.Instance;
            return IsIntrinsic(value) || IsDynamicReference(value) || CfnEnum.Same(expected, value) ? Valid(Name) : Invalid(Name, $"{Show(value)} must be {Show(expected)}.");
        }
    }

    /// <summary><c>pattern</c>, compiled lazily and interpreted (see the remarks of <see cref="CfnDialect"/>).</summary>
    sealed class CfnPattern : IKeywordHandler
    {
        public static readonly CfnPattern Instance = new();
        public string Name => "pattern";

        public object? ValidateKeywordValue(JsonElement value) => new Lazy<Regex?>(() => Compile(value.GetString()!));

        static Regex? Compile(string pattern)
        {
            try { return new Regex(pattern, RegexOptions.ECMAScript | RegexOptions.CultureInvariant); }
            catch (ArgumentException)
            {
                try { return new Regex(pattern, RegexOptions.CultureInvariant); }
                catch (ArgumentException) { return null; } // a pattern .NET cannot read is not held against the template
            }
        }

        public void BuildSubschemas(KeywordData keyword, BuildContext context) { }

        public KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context)
        {
            var value = context.Instance;
            if (value.ValueKind != JsonValueKind.String || IsDynamicReference(value)) return Valid(Name);
            var regex = ((Lazy<Regex?>)keyword.Value!).Value;
            if (regex is null || regex.IsMatch(value.GetString()!)) return Valid(Name);
            return Invalid(Name, $"{Show(value)} does not match the pattern {regex}.");
        }
    }

    /// <summary><c>required</c>, naming the missing properties.</summary>
    sealed class CfnRequired : IKeywordHandler
    {
        public static readonly CfnRequired Instance = new();
        public string Name => "required";

        public object? ValidateKeywordValue(JsonElement value) =>
            value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString()!).ToArray() : throw new JsonSchemaException("'required' must be an array");

        public void BuildSubschemas(KeywordData keyword, BuildContext context) { }

        public KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context)
        {
            var value = context.Instance;
            if (value.ValueKind != JsonValueKind.Object || IsIntrinsic(value)) return Valid(Name);
            List<string>? missing = null;
            foreach (var name in (string[])keyword.Value!)
                if (!value.TryGetProperty(name, out _)) (missing ??= []).Add(name);
            if (missing is null) return Valid(Name);
            return Invalid(Name, missing.Count == 1
                ? $"The required property '{missing[0]}' is missing."
                : $"The required properties {string.Join(", ", missing.Select(m => $"'{m}'"))} are missing.");
        }
    }

    /// <summary>A property counts as given unless it is absent or set to <c>{"Ref": "AWS::NoValue"}</c>.</summary>
    static bool Given(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value)
        && !(value.ValueKind == JsonValueKind.Object && value.TryGetProperty("Ref", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() == "AWS::NoValue");

    /// <summary>
    /// cfn-lint's extensions of the official schemas (its patched set, which SchemaTool compacts): <c>requiredXor</c>, exactly one
    /// of the properties (an alarm takes <c>Metrics</c> or <c>MetricName</c>); <c>requiredOr</c>, at least one (a subnet needs
    /// <c>CidrBlock</c>, <c>Ipv4IpamPoolId</c>, <c>Ipv6IpamPoolId</c> or <c>Ipv6CidrBlock</c>).
    /// </summary>
    sealed class PropertySet(string name) : IKeywordHandler
    {
        public string Name => name;

        public object? ValidateKeywordValue(JsonElement value) =>
            value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString()!).ToArray() : throw new JsonSchemaException($"'{name}' must be an array");

        public void BuildSubschemas(KeywordData keyword, BuildContext context) { }

        public KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context)
        {
            var value = context.Instance;
            if (value.ValueKind != JsonValueKind.Object || IsIntrinsic(value)) return Valid(Name);
            var names = (string[])keyword.Value!;
            var given = names.Where(n => Given(value, n)).ToList();
            var list = string.Join(", ", names.Select(n => $"'{n}'"));
            if (name == "requiredOr")
                return given.Count > 0 ? Valid(Name) : Invalid(Name, $"One of {list} is required.");
            return given.Count switch
            {
                1 => Valid(Name),
                0 => Invalid(Name, $"Exactly one of {list} is required."),
                _ => Invalid(Name, $"Only one of {list} may be given, not {string.Join(" and ", given.Select(n => $"'{n}'"))}."),
            };
        }
    }

    /// <summary>
    /// cfn-lint's <c>dependentExcluded</c> (a property excludes others: a subnet's <c>CidrBlock</c> and <c>Ipv4IpamPoolId</c>) and
    /// JSON Schema's <c>dependentRequired</c> (a property needs others: <c>Ipv4IpamPoolId</c> needs <c>Ipv4NetmaskLength</c>).
    /// </summary>
    sealed class PropertyDependencies(string name) : IKeywordHandler
    {
        public string Name => name;

        public object? ValidateKeywordValue(JsonElement value) =>
            value.ValueKind == JsonValueKind.Object
                ? value.EnumerateObject().Select(p => (p.Name, p.Value.EnumerateArray().Select(v => v.GetString()!).ToArray())).ToArray()
                : throw new JsonSchemaException($"'{name}' must be an object");

        public void BuildSubschemas(KeywordData keyword, BuildContext context) { }

        public KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context)
        {
            var value = context.Instance;
            if (value.ValueKind != JsonValueKind.Object || IsIntrinsic(value)) return Valid(Name);
            foreach (var (property, others) in ((string Name, string[] Others)[])keyword.Value!)
            {
                if (!Given(value, property)) continue;
                if (name == "dependentExcluded")
                {
                    var both = others.Where(o => Given(value, o)).ToList();
                    if (both.Count > 0) return Invalid(Name, $"'{property}' and {string.Join(", ", both.Select(o => $"'{o}'"))} exclude each other: give one.");
                }
                else
                {
                    var missing = others.Where(o => !Given(value, o)).ToList();
                    if (missing.Count > 0) return Invalid(Name, $"'{property}' needs {string.Join(", ", missing.Select(o => $"'{o}'"))}.");
                }
            }
            return Valid(Name);
        }
    }
}
