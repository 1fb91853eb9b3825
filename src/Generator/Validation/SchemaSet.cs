using System.Collections.Concurrent;
using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using Json.Schema;

namespace Templates.Generation.Validation;

/// <summary>One resource type's schema, built for evaluation, and the attributes <c>Fn::GetAtt</c> may name.</summary>
public sealed class ResourceSchema
{
    internal ResourceSchema(string type, JsonSchema schema, IReadOnlySet<string> attributes, IReadOnlyDictionary<string, bool>? listAttributes = null)
    {
        Type = type;
        Schema = schema;
        Attributes = attributes;
        AttributeIsList = listAttributes ?? new Dictionary<string, bool>();
    }

    /// <summary>The resource type, such as <c>AWS::EC2::VPC</c>.</summary>
    public string Type { get; }

    /// <summary>The schema of the resource's <c>Properties</c>.</summary>
    public JsonSchema Schema { get; }

    /// <summary>The read-only properties, as <c>Fn::GetAtt</c> names them (<c>Arn</c>, <c>Endpoint.Address</c>).</summary>
    public IReadOnlySet<string> Attributes { get; }

    /// <summary>
    /// For the attributes whose schema says what <c>Fn::GetAtt</c> returns: true for a list (<c>"type": "array"</c>), false
    /// for a string, number or boolean. An attribute absent here (an object, or no type) is not known.
    /// </summary>
    public IReadOnlyDictionary<string, bool> AttributeIsList { get; }
}

/// <summary>
/// A set of CloudFormation resource provider schemas: the compact set embedded in this assembly (see
/// <c>tools/SchemaTool</c>), or a complete official set from a folder or a zip of per-type files
/// (<c>aws-ec2-vpc.json</c>, as in AWS's <c>CloudFormationSchema.zip</c>). Files are read and schemas built only
/// when a template uses their type, once per process.
/// </summary>
public sealed class SchemaSet
{
    const string ResourcePrefix = "schemas/";
    static readonly Lazy<SchemaSet> embedded = new(() => new SchemaSet("embedded", EmbeddedReader(), EmbeddedTypeNames()));

    readonly Func<string, string?> read;
    readonly IReadOnlySet<string> knownTypes;
    readonly ConcurrentDictionary<string, Lazy<ResourceSchema?>> built = new(StringComparer.Ordinal);
    readonly BuildOptions buildOptions = CfnDialect.NewOptions();
    readonly Lock registering = new();

    SchemaSet(string origin, Func<string, string?> read, IReadOnlySet<string> knownTypes)
    {
        Origin = origin;
        this.read = read;
        this.knownTypes = knownTypes;
    }

    /// <summary>Where the schemas come from: <c>embedded</c>, or the folder or zip given.</summary>
    public string Origin { get; }

    /// <summary>The compact set shipped in the Generator assembly, loaded on first use.</summary>
    public static SchemaSet Embedded => embedded.Value;

    /// <summary>The file name of a type's schema: <c>AWS::EC2::VPC</c> is <c>aws-ec2-vpc.json</c>.</summary>
    public static string FileName(string type) => type.Replace("::", "-", StringComparison.Ordinal).ToLowerInvariant() + ".json";

    /// <summary>Opens a folder or a zip of per-type schema files. Throws <see cref="IOException"/> when it is neither.</summary>
    public static SchemaSet Open(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path, "*.json").ToDictionary(f => Path.GetFileName(f).ToLowerInvariant(), f => f);
            return new SchemaSet(path, type => files.TryGetValue(FileName(type), out var f) ? File.ReadAllText(f) : null,
                new FileNameTypes(files.Keys.ToHashSet()));
        }
        if (File.Exists(path))
        {
            Dictionary<string, ZipArchiveEntry> entries;
            ZipArchive zip;
            try
            {
                zip = ZipFile.OpenRead(path);
                entries = zip.Entries.Where(e => e.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    .GroupBy(e => e.Name.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First());
            }
            catch (InvalidDataException e) { throw new IOException($"'{path}' is not a zip of schemas: {e.Message}", e); }
            var gate = new object();
            return new SchemaSet(path, type =>
            {
                if (!entries.TryGetValue(FileName(type), out var entry)) return null;
                lock (gate)
                {
                    using var reader = new StreamReader(entry.Open());
                    return reader.ReadToEnd();
                }
            }, new FileNameTypes(entries.Keys.ToHashSet()));
        }
        throw new IOException($"'{path}' is neither a folder nor a zip of CloudFormation resource schemas.");
    }

    /// <summary>
    /// Whether the type exists: a type of the official set, a custom resource (<c>Custom::…</c>), or a registered module
    /// (<c>Org::Service::Name::MODULE</c>, whose schema lives in the account that registered it).
    /// </summary>
    public bool IsKnownType(string type) =>
        knownTypes.Contains(type) || Embedded.knownTypes.Contains(type) || type.StartsWith("Custom::", StringComparison.Ordinal) || IsModule(type);

    /// <summary>A registered module's type: four segments, the last <c>MODULE</c>.</summary>
    public static bool IsModule(string type) =>
        type.EndsWith("::MODULE", StringComparison.Ordinal) && type.Split("::").Length == 4 && type.Split("::").All(p => p.Length > 0);

    /// <summary>The type's schema text as this set holds it (compact for the embedded set), or null; read again on each call (<c>diff</c> reads its create-only properties).</summary>
    internal string? ReadText(string type) => read(type);

    /// <summary>The type's schema, or null when this set has none for it.</summary>
    public ResourceSchema? Get(string type) => built.GetOrAdd(type, t => new Lazy<ResourceSchema?>(() => Build(t))).Value;

    ResourceSchema? Build(string type)
    {
        var text = read(type);
        if (text is null) return null;
        using var document = JsonDocument.Parse(PointerSafePatternKeys(text));
        var root = document.RootElement;
        var attributes = new HashSet<string>(StringComparer.Ordinal);
        var listAttributes = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (root.TryGetProperty("readOnlyProperties", out var readOnly))
            foreach (var pointer in readOnly.EnumerateArray())
                if (pointer.GetString() is { } p && p.StartsWith("/properties/", StringComparison.Ordinal))
                {
                    var name = p["/properties/".Length..];
                    attributes.Add(name.Replace('/', '.'));
                    if (!name.Contains('/') && root.TryGetProperty("properties", out var all) && all.TryGetProperty(name, out var property)
                        && ValueKind(root, property) is { } isList)
                        listAttributes[name] = isList;
                }
        // As cfn-lint does (schema/_getatts.py), some older types let Fn::GetAtt read any property, nested ones dotted.
        if (AllPropertyTypes.Contains(type) && root.TryGetProperty("properties", out var properties))
            AddProperties(root, properties, "", attributes, depth: 0);
        JsonSchema schema;
        lock (registering) schema = JsonSchema.Build(root.Clone(), buildOptions, new Uri("https://templates.invalid/schemas/" + FileName(type)));
        return new ResourceSchema(type, schema, attributes, listAttributes);
    }

    /// <summary>Whether a property's schema (through one <c>$ref</c>) is a list (true), a scalar (false), or neither known (null).</summary>
    static bool? ValueKind(JsonElement root, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference) && reference.GetString() is { } r && r.StartsWith("#/definitions/", StringComparison.Ordinal)
            && root.TryGetProperty("definitions", out var definitions) && definitions.TryGetProperty(r["#/definitions/".Length..], out var target))
            schema = target;
        if (!schema.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String) return null;
        return type.GetString() switch
        {
            "array" => true,
            "string" or "integer" or "number" or "boolean" => false,
            _ => null,
        };
    }

    /// <summary>
    /// The schema text with every <c>patternProperties</c> key rewritten so it holds no <c>/</c> and no <c>~</c>: the same
    /// regular expression, with those characters written <c>\x2F</c> and <c>\x7E</c>. JsonSchema.Net 8 finds a pattern's
    /// subschema again through the JSON pointer of its location, in which those two characters are escaped (<c>~1</c>,
    /// <c>~0</c>, RFC 6901), and then fails with KeyNotFoundException on the unescaped key (AWS::SSM::Parameter's Tags, and
    /// 64 keys in 58 types of the official set).
    /// </summary>
    internal static string PointerSafePatternKeys(string text)
    {
        if (!text.Contains("patternProperties", StringComparison.Ordinal) || !HasUnsafePatternKey(text)) return text;
        var root = System.Text.Json.Nodes.JsonNode.Parse(text);
        if (!Rewrite(root)) return text;
        return root!.ToJsonString();

        static bool Rewrite(System.Text.Json.Nodes.JsonNode? node)
        {
            var changed = false;
            switch (node)
            {
                case System.Text.Json.Nodes.JsonObject o:
                    if (o["patternProperties"] is System.Text.Json.Nodes.JsonObject patterns
                        && patterns.Any(p => p.Key.Contains('/', StringComparison.Ordinal) || p.Key.Contains('~', StringComparison.Ordinal)))
                    {
                        var rewritten = new System.Text.Json.Nodes.JsonObject();
                        foreach (var (key, value) in patterns.ToList())
                        {
                            patterns.Remove(key);
                            rewritten[SafePattern(key)] = value;
                        }
                        o["patternProperties"] = rewritten;
                        changed = true;
                    }
                    foreach (var (_, value) in o.ToList()) changed |= Rewrite(value);
                    break;
                case System.Text.Json.Nodes.JsonArray a:
                    foreach (var item in a) changed |= Rewrite(item);
                    break;
            }
            return changed;
        }
    }

    /// <summary>Whether a <c>patternProperties</c> key holds <c>/</c> or <c>~</c>: one forward pass of a reader, no tree built.</summary>
    static bool HasUnsafePatternKey(string text)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text));
        // The depths of the "patternProperties" members whose object is still open: their keys stand one level deeper.
        var open = new List<int>();
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName) continue;
            var depth = reader.CurrentDepth;
            open.RemoveAll(d => d >= depth);
            if (open.Count > 0 && open[^1] == depth - 1)
            {
                var key = reader.GetString()!;
                if (key.Contains('/', StringComparison.Ordinal) || key.Contains('~', StringComparison.Ordinal)) return true;
            }
            else if (reader.ValueTextEquals("patternProperties")) open.Add(depth);
        }
        return false;
    }

    /// <summary>The same regular expression without a literal <c>/</c> or <c>~</c> (escaped or not): <c>\x2F</c>, <c>\x7E</c>.</summary>
    internal static string SafePattern(string pattern)
    {
        var result = new System.Text.StringBuilder(pattern.Length + 8);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[i + 1];
                if (next is '/' or '~') result.Append(next == '/' ? "\\x2F" : "\\x7E");
                else result.Append(c).Append(next);
                i++;
            }
            else if (c == '/') result.Append("\\x2F");
            else if (c == '~') result.Append("\\x7E");
            else result.Append(c);
        }
        return result.ToString();
    }

    static readonly HashSet<string> AllPropertyTypes =
    [
        "AWS::Amplify::Branch", "AWS::Amplify::Domain", "AWS::AppSync::DomainName", "AWS::AppSync::FunctionConfiguration", "AWS::AppSync::Resolver",
        "AWS::AutoScaling::AutoScalingGroup", "AWS::Backup::BackupSelection", "AWS::Backup::BackupVault", "AWS::Backup::LogicallyAirGappedBackupVault",
        "AWS::CodeArtifact::Domain", "AWS::CodeArtifact::Repository", "AWS::EC2::CapacityReservation", "AWS::EC2::Instance", "AWS::EC2::SecurityGroup",
        "AWS::EC2::Subnet", "AWS::EC2::VPC", "AWS::EFS::MountTarget", "AWS::EKS::Nodegroup", "AWS::ElastiCache::ReplicationGroup",
        "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::Events::EventBus", "AWS::EventSchemas::Discoverer", "AWS::EventSchemas::Registry",
        "AWS::EventSchemas::Schema", "AWS::GameLift::GameSessionQueue", "AWS::GameLift::MatchmakingConfiguration", "AWS::GameLift::MatchmakingRuleSet",
        "AWS::Grafana::Workspace", "AWS::ImageBuilder::Component", "AWS::ImageBuilder::ContainerRecipe", "AWS::ImageBuilder::DistributionConfiguration",
        "AWS::ImageBuilder::ImagePipeline", "AWS::ImageBuilder::ImageRecipe", "AWS::ImageBuilder::InfrastructureConfiguration", "AWS::ManagedBlockchain::Node",
        "AWS::Neptune::DBCluster", "AWS::RDS::DBInstance", "AWS::RDS::DBParameterGroup", "AWS::RedshiftServerless::Workgroup",
        "AWS::RoboMaker::RobotApplication", "AWS::RoboMaker::SimulationApplication", "AWS::Route53Resolver::ResolverRule",
        "AWS::Route53Resolver::ResolverRuleAssociation", "AWS::S3::AccessPoint", "AWS::SNS::Topic", "AWS::SQS::Queue", "AWS::SSM::Parameter",
        "AWS::StepFunctions::Activity",
    ];

    static void AddProperties(JsonElement root, JsonElement properties, string prefix, HashSet<string> attributes, int depth)
    {
        foreach (var property in properties.EnumerateObject())
        {
            var schema = property.Value;
            if (schema.TryGetProperty("$ref", out var reference) && reference.GetString() is { } r && r.StartsWith("#/definitions/", StringComparison.Ordinal)
                && root.TryGetProperty("definitions", out var definitions) && definitions.TryGetProperty(r["#/definitions/".Length..], out var target))
                schema = target;
            var type = schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type == "object" && schema.TryGetProperty("properties", out var nested) && depth < 3)
                AddProperties(root, nested, prefix + property.Name + ".", attributes, depth + 1);
            else if (type == "array" && schema.TryGetProperty("items", out var items) && items.TryGetProperty("type", out var it) && it.GetString() is "object" or "array") { }
            else attributes.Add(prefix + property.Name);
        }
    }

    /// <summary>
    /// Reads from the embedded zip of every type's compact schema: the archive's directory is read once, on the first schema
    /// asked for, and an entry is inflated only when its type is used.
    /// </summary>
    static Func<string, string?> EmbeddedReader()
    {
        var archive = new Lazy<(ZipArchive Zip, Dictionary<string, ZipArchiveEntry> Entries)>(() =>
        {
            var stream = typeof(SchemaSet).Assembly.GetManifestResourceStream(ResourcePrefix + "schemas.zip")
                ?? throw new InvalidOperationException("The embedded schemas.zip is missing.");
            var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            return (zip, zip.Entries.ToDictionary(e => e.FullName, StringComparer.Ordinal));
        });
        var gate = new Lock();
        return type =>
        {
            var (_, entries) = archive.Value;
            if (!entries.TryGetValue(FileName(type), out var entry)) return null;
            lock (gate)
            {
                using var reader = new StreamReader(entry.Open());
                return reader.ReadToEnd();
            }
        };
    }

    static HashSet<string> EmbeddedTypeNames()
    {
        using var stream = typeof(SchemaSet).Assembly.GetManifestResourceStream(ResourcePrefix + "resource-types.txt")
            ?? throw new InvalidOperationException("The embedded resource-types.txt is missing.");
        using var reader = new StreamReader(stream);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) names.Add(line);
        return names;
    }

    /// <summary>The types of a folder or zip, known by their file names (lowercase), so the type names need no file read.</summary>
    sealed class FileNameTypes(HashSet<string> fileNames) : IReadOnlySet<string>
    {
        public bool Contains(string item) => fileNames.Contains(FileName(item));
        public int Count => fileNames.Count;
        public IEnumerator<string> GetEnumerator() => fileNames.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        public bool IsProperSubsetOf(IEnumerable<string> other) => throw new NotSupportedException();
        public bool IsProperSupersetOf(IEnumerable<string> other) => throw new NotSupportedException();
        public bool IsSubsetOf(IEnumerable<string> other) => throw new NotSupportedException();
        public bool IsSupersetOf(IEnumerable<string> other) => throw new NotSupportedException();
        public bool Overlaps(IEnumerable<string> other) => throw new NotSupportedException();
        public bool SetEquals(IEnumerable<string> other) => throw new NotSupportedException();
    }
}
