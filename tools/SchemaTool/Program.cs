using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

// Produces the compact CloudFormation resource schemas that ship inside the Generator assembly.
//
//   dotnet run --project tools/SchemaTool                       # from the cfn-lint installed for python3
//   dotnet run --project tools/SchemaTool -- --from DIR|ZIP     # from cfn-lint's data/schemas, or an official per-type set
//   dotnet run --project tools/SchemaTool -- --out DIR          # the same, as loose files, e.g. to try `validate --schemas DIR`
//
// Every type of the source set is compacted (only what validation and `diff` read is kept) and written, one minified
// aws-service-type.json per type (the naming of AWS's CloudFormationSchema.zip), into src/Generator/Validation/Schemas/schemas.zip:
// entries in name order, a fixed timestamp and the smallest compression, so the same source set gives the same bytes.
// resource-types.txt beside it lists every type name.

var repo = FindRepoRoot();
string? from = null;
var schemasDir = Path.Combine(repo, "src/Generator/Validation/Schemas");
string? outDir = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--from" when i + 1 < args.Length: from = args[++i]; break;
        case "--out" when i + 1 < args.Length: outDir = Path.GetFullPath(args[++i]); break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'. Usage: SchemaTool [--from DIR|ZIP] [--out DIR]");
            return 2;
    }
}

from ??= LocateCfnLint();
var source = SchemaSource.Open(from);
var wanted = source.Types.Order(StringComparer.Ordinal).ToList();

long before = 0, after = 0;
var dropped = 0;
var compacted = new List<(string Name, byte[] Bytes)>();
foreach (var type in wanted)
{
    var raw = source.Read(type);
    before += raw.Length;
    var schema = JsonNode.Parse(raw)!.AsObject();
    var compact = Compact.Resource(schema, ref dropped);
    var bytes = JsonSerializer.SerializeToUtf8Bytes(compact);
    after += bytes.Length;
    compacted.Add((FileName(type), bytes));
}

string written;
if (outDir is not null)
{
    Directory.CreateDirectory(outDir);
    foreach (var old in Directory.GetFiles(outDir, "aws-*.json")) File.Delete(old);
    foreach (var (name, bytes) in compacted) File.WriteAllBytes(Path.Combine(outDir, name), bytes);
    File.WriteAllLines(Path.Combine(outDir, "resource-types.txt"), wanted);
    written = Path.GetRelativePath(Directory.GetCurrentDirectory(), outDir);
}
else
{
    var zipPath = Path.Combine(schemasDir, "schemas.zip");
    using (var stream = new FileStream(zipPath, FileMode.Create))
    using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
    {
        var fixedTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var (name, bytes) in compacted.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize);
            entry.LastWriteTime = fixedTime;
            using var entryStream = entry.Open();
            entryStream.Write(bytes);
        }
    }
    File.WriteAllLines(Path.Combine(schemasDir, "resource-types.txt"), wanted);
    written = $"{Path.GetRelativePath(Directory.GetCurrentDirectory(), zipPath)} ({new FileInfo(zipPath).Length:N0} bytes)";
}
// Facts that change with time, with their source: the Lambda runtimes' deprecation and block dates (AWS's runtime
// deprecation policy, https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html, as cfn-lint 1.51.0 ships it).
var lifecycle = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(from))!, "AdditionalSpecs", "LmbdRuntimeLifecycle.json");
if (File.Exists(lifecycle))
{
    var runtimes = JsonNode.Parse(File.ReadAllText(lifecycle))!.AsObject();
    var facts = new JsonObject
    {
        ["source"] = "AWS Lambda runtime deprecation policy (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), as cfn-lint 1.51.0 ships it in data/AdditionalSpecs/LmbdRuntimeLifecycle.json",
        ["runtimes"] = new JsonObject(runtimes.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => KeyValuePair.Create(r.Key, r.Value?.DeepClone()))),
    };
    File.WriteAllText(Path.Combine(outDir ?? schemasDir, "lambda-runtimes.json"), facts.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
// IAM knowledge, as cfn-lint 1.51.0 ships it: every service prefix with its actions and the services its resource ARNs
// name (data/AdditionalSpecs/Policies.json, from AWS's Service Authorization Reference), and every AWS managed policy ARN
// (data/Serverless/ManagedPolicies.json). One gzip text file, read only when a template holds a policy document.
var dataDir = Path.GetDirectoryName(Path.GetFullPath(from))!;
var policies = Path.Combine(dataDir, "AdditionalSpecs", "Policies.json");
var managed = Path.Combine(dataDir, "Serverless", "ManagedPolicies.json");
if (File.Exists(policies) && File.Exists(managed))
{
    var iamPath = Path.Combine(outDir ?? schemasDir, "iam.txt.gz");
    var text = Iam.Compact(File.ReadAllText(policies), File.ReadAllText(managed));
    using (var file = new FileStream(iamPath, FileMode.Create))
    using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
    Console.WriteLine($"IAM: {text.Split('\n').Count(l => l.StartsWith("S ", StringComparison.Ordinal))} service prefixes, "
        + $"{text.Split('\n').Count(l => l.StartsWith("M ", StringComparison.Ordinal))} AWS managed policies, in {Path.GetRelativePath(Directory.GetCurrentDirectory(), iamPath)} ({new FileInfo(iamPath).Length:N0} bytes)");
}
// Stateful resource types (cfn-lint 1.51.0 data/AdditionalSpecs/StatefulResources.json): replacing or deleting one loses
// its data unless DeletionPolicy/UpdateReplacePolicy say otherwise. Types deleted only when empty (S3 buckets) are left
// out, as cfn-lint's rule I3011 leaves them out.
var stateful = Path.Combine(dataDir, "AdditionalSpecs", "StatefulResources.json");
if (File.Exists(stateful))
{
    var types = JsonNode.Parse(File.ReadAllText(stateful))!["ResourceTypes"]!.AsObject()
        .Where(t => t.Value?["DeleteRequiresEmptyResource"]?.GetValue<bool>() != true).Select(t => t.Key).Order(StringComparer.Ordinal);
    File.WriteAllLines(Path.Combine(outDir ?? schemasDir, "stateful-resources.txt"), types);
}
Console.WriteLine($"{wanted.Count} schemas from {from}: {before:N0} bytes -> {after:N0} bytes compacted, in {written}");
Console.WriteLine($"{dropped} patterns .NET cannot compile were dropped");
foreach (var unused in Compact.UnusedOverrides())
    Console.Error.WriteLine($"warning: the source set has no format at {unused} any more: remove it from WrongFormats");
return 0;

static string FileName(string type) => type.Replace("::", "-").ToLowerInvariant() + ".json";

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Templates.sln"))) return dir.FullName;
    throw new InvalidOperationException("Run inside the repository (no Templates.sln above the current directory).");
}

static string LocateCfnLint()
{
    var start = new ProcessStartInfo("python3", ["-c", "import cfnlint,os;print(os.path.dirname(cfnlint.__file__))"]) { RedirectStandardOutput = true };
    using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start python3");
    var dir = process.StandardOutput.ReadToEnd().Trim();
    process.WaitForExit();
    if (process.ExitCode != 0 || dir.Length == 0)
        throw new InvalidOperationException("cfn-lint is not importable by python3 (pip install cfn-lint==1.51.0), and no --from was given.");
    return Path.Combine(dir, "data", "schemas");
}

/// <summary>Where the official schemas come from: cfn-lint's package data, a folder of per-type files, or AWS's zip.</summary>
abstract class SchemaSource
{
    public abstract IReadOnlySet<string> Types { get; }
    public abstract string Read(string type);

    public static SchemaSource Open(string path)
    {
        if (File.Exists(path) && path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) return new ZipSource(path);
        if (File.Exists(Path.Combine(path, "providers", "us_east_1.py"))) return new CfnLintSource(path);
        if (Directory.Exists(path)) return new FolderSource(path);
        throw new InvalidOperationException($"'{path}' is neither cfn-lint's data/schemas folder, a folder of schemas, nor a zip.");
    }
}

/// <summary>cfn-lint 1.x: providers/us_east_1.py maps each type to a content hash; resources/HASH.json is the schema.</summary>
sealed class CfnLintSource : SchemaSource
{
    readonly string root;
    readonly Dictionary<string, string> hashes;

    public CfnLintSource(string root)
    {
        this.root = root;
        hashes = Regex.Matches(File.ReadAllText(Path.Combine(root, "providers", "us_east_1.py")), "\"([A-Za-z0-9:]+)\": \"([0-9a-f]+)\"")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        Types = hashes.Keys.ToHashSet(StringComparer.Ordinal);
    }

    public override IReadOnlySet<string> Types { get; }
    public override string Read(string type) => File.ReadAllText(Path.Combine(root, "resources", hashes[type] + ".json"));
}

/// <summary>A folder of aws-service-type.json files, each with its typeName.</summary>
sealed class FolderSource : SchemaSource
{
    readonly Dictionary<string, string> files = new(StringComparer.Ordinal);

    public FolderSource(string root)
    {
        foreach (var file in Directory.EnumerateFiles(root, "*.json"))
            if (TypeName(File.ReadAllText(file)) is { } type) files[type] = file;
        Types = files.Keys.ToHashSet(StringComparer.Ordinal);
    }

    public override IReadOnlySet<string> Types { get; }
    public override string Read(string type) => File.ReadAllText(files[type]);

    internal static string? TypeName(string json) =>
        JsonNode.Parse(json) is JsonObject o && o["typeName"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>AWS's CloudFormationSchema.zip: the same per-type files, zipped.</summary>
sealed class ZipSource : SchemaSource
{
    readonly Dictionary<string, string> texts = new(StringComparer.Ordinal);

    public ZipSource(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
        {
            using var reader = new StreamReader(entry.Open());
            var text = reader.ReadToEnd();
            if (FolderSource.TypeName(text) is { } type) texts[type] = text;
        }
        Types = texts.Keys.ToHashSet(StringComparer.Ordinal);
    }

    public override IReadOnlySet<string> Types { get; }
    public override string Read(string type) => texts[type];
}

/// <summary>Keeps what validation needs (the JSON Schema assertions and applicators) and drops the rest (descriptions, handlers, tagging, …).</summary>
static class Compact
{
    static readonly HashSet<string> Keywords =
    [
        "type", "properties", "required", "enum", "const", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "additionalProperties", "patternProperties",
        "items", "additionalItems", "$ref", "oneOf", "anyOf", "allOf", "not", "if", "then", "else", "dependencies",
        "minProperties", "maxProperties", "propertyNames", "contains",
        // cfn-lint's extensions in its patched set: exactly one of / at least one of these properties; these exclude / need those.
        "requiredXor", "requiredOr", "dependentExcluded", "dependentRequired",
    ];

    // The ID, ARN and name forms the validator checks (Templates.Generation.Validation.IdFormats; a test keeps the two lists
    // equal): cfn-lint's patched set marks properties with them ("format": "AWS::EC2::VPC.Id"). Other formats are dropped.
    static readonly HashSet<string> CheckedFormats =
    [
        "AWS::EC2::SecurityGroup.Id", "AWS::EC2::VPC.Id", "AWS::EC2::Image.Id", "AWS::EC2::Subnet.Id", "AWS::Logs::LogGroup.Name",
        "AWS::IAM::Role.Arn", "AWS::SNS::Topic.Arn", "AWS::ACM::Certificate.Arn", "AWS::Lambda::Function.Arn",
    ];

    // Where cfn-lint's patched set puts a format the service does not hold to (its documentation says so): the format is
    // dropped there, so a value the service accepts is never a finding. Keyed by type and the schema location.
    static readonly Dictionary<(string Type, string Location), string> WrongFormats = new()
    {
        // RegisterTaskDefinition: "The short name or full Amazon Resource Name (ARN) of the IAM role that containers in this task can assume."
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
        [("AWS::ECS::TaskDefinition", "/properties/TaskRoleArn")] = "ECS takes the role's short name too",
        // RequestLaunchTemplateData.SecurityGroups: "The names of the security groups. For a nondefault VPC, you must use security group IDs instead."
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RequestLaunchTemplateData.html
        [("AWS::EC2::LaunchTemplate", "/definitions/LaunchTemplateData/properties/SecurityGroups/items")] = "security group names (default VPC)",
        // A listener takes an ACM certificate or an IAM server certificate (the schema's own relationshipRef names both):
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html
        [("AWS::ElasticLoadBalancingV2::Listener", "/definitions/Certificate/properties/CertificateArn")] = "an IAM server certificate too",
        [("AWS::ElasticLoadBalancingV2::ListenerCertificate", "/definitions/Certificate/properties/CertificateArn")] = "an IAM server certificate too",
    };

    /// <summary>The entries of <see cref="WrongFormats"/> the source set still has: one it no longer has is reported.</summary>
    public static readonly HashSet<(string Type, string Location)> Overridden = [];

    public static IEnumerable<string> UnusedOverrides() =>
        WrongFormats.Keys.Where(k => !Overridden.Contains(k)).Select(k => $"{k.Type} {k.Location}");

    // Keywords whose value is an object of name -> schema, not a schema.
    static readonly HashSet<string> SchemaMaps = ["properties", "patternProperties", "definitions", "dependencies"];

    public static JsonObject Resource(JsonObject schema, ref int dropped)
    {
        var result = new JsonObject { ["typeName"] = schema["typeName"]!.DeepClone() };
        var type = (string)schema["typeName"]!;
        var body = Schema(schema, ref dropped, type, "");
        foreach (var (key, value) in body) result[key] = value?.DeepClone();
        if (schema["definitions"] is JsonObject definitions)
        {
            var defs = new JsonObject();
            foreach (var (name, def) in definitions) defs[name] = def is JsonObject o ? Schema(o, ref dropped, type, "/definitions/" + name) : def?.DeepClone();
            result["definitions"] = defs;
        }
        // The attributes Fn::GetAtt may name: /properties/Endpoint/Address is written Endpoint.Address.
        if (schema["readOnlyProperties"] is JsonArray readOnly)
            result["readOnlyProperties"] = new JsonArray(readOnly.Select(p => (JsonNode?)JsonValue.Create((string)p!)).ToArray());
        // What `diff` reads: the properties whose change replaces the resource, and those that may (conditionally create-only).
        foreach (var key in new[] { "createOnlyProperties", "conditionalCreateOnlyProperties" })
            if (schema[key] is JsonArray pointers)
                result[key] = new JsonArray(pointers.Select(p => (JsonNode?)JsonValue.Create((string)p!)).ToArray());
        return result;
    }

    static JsonObject Schema(JsonObject schema, ref int dropped, string type, string location)
    {
        var result = new JsonObject();
        foreach (var (key, value) in schema)
        {
            if (key == "format")
            {
                if (WrongFormats.ContainsKey((type, location))) Overridden.Add((type, location));
                // Where the schema gives its own pattern, the service's own word wins: a format beside it may reject what the
                // pattern allows (CodeBuild's ImageId takes aws/codebuild/… names besides ami-…; a LogGroupName may be "").
                else if (schema.ContainsKey("pattern")) continue;
                else if (value is JsonValue f && f.TryGetValue<string>(out var format) && CheckedFormats.Contains(format)) result[key] = format;
                continue;
            }
            if (!Keywords.Contains(key) || value is null) continue;
            if (key == "pattern" && !Compiles((string)value!)) { dropped++; continue; }
            // Maps of a property name to the names it excludes or needs: data, not schemas.
            if (key is "dependentExcluded" or "dependentRequired") { result[key] = value.DeepClone(); continue; }
            if (SchemaMaps.Contains(key) && value is JsonObject map)
            {
                var compact = new JsonObject();
                foreach (var (name, sub) in map)
                {
                    if (key == "patternProperties" && !Compiles(name)) { dropped++; continue; }
                    compact[name] = sub is JsonObject o ? Schema(o, ref dropped, type, $"{location}/{key}/{name}") : sub?.DeepClone();
                }
                result[key] = compact;
            }
            else if (value is JsonObject sub) result[key] = Schema(sub, ref dropped, type, $"{location}/{key}");
            else if (value is JsonArray list && key is "oneOf" or "anyOf" or "allOf" or "items")
            {
                var items = new JsonArray();
                for (var i = 0; i < list.Count; i++) items.Add(list[i] is JsonObject o ? Schema(o, ref dropped, type, $"{location}/{key}/{i}") : list[i]?.DeepClone());
                result[key] = items;
            }
            else result[key] = value.DeepClone();
        }
        return result;
    }

    static bool Compiles(string pattern)
    {
        try { _ = new Regex(pattern, RegexOptions.ECMAScript); return true; }
        catch (ArgumentException)
        {
            try { _ = new Regex(pattern); return true; }
            catch (ArgumentException) { return false; }
        }
    }
}

/// <summary>
/// The IAM facts validation reads, as lines of text: <c>S prefix arn-services actions…</c> per service prefix (actions
/// lowercase, as IAM compares them; arn-services comma-separated, <c>-</c> when the service defines no resource type), and
/// <c>M path</c> per AWS managed policy (what follows <c>arn:aws:iam::aws:policy/</c>). Sorted, so the same source gives the same bytes.
/// </summary>
static class Iam
{
    public static string Compact(string policiesJson, string managedJson)
    {
        var lines = new List<string> { "# IAM actions and resource ARN services per service prefix (cfn-lint 1.51.0 data/AdditionalSpecs/Policies.json, from AWS's Service Authorization Reference, https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html) and AWS managed policies (cfn-lint 1.51.0 data/Serverless/ManagedPolicies.json)" };
        var services = JsonNode.Parse(policiesJson)!.AsObject();
        foreach (var (prefix, service) in services.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var arnServices = new SortedSet<string>(StringComparer.Ordinal);
            if (service?["Resources"] is JsonObject resources)
                foreach (var (_, resource) in resources)
                    if (resource?["ARNFormats"] is JsonArray formats)
                        foreach (var format in formats)
                            if (Regex.Match((string?)format ?? "", @"^arn:\$\{Partition\}:([a-z0-9-]+):") is { Success: true } m) arnServices.Add(m.Groups[1].Value);
            var actions = (service?["Actions"] as JsonObject)?.Select(a => a.Key.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList() ?? [];
            lines.Add($"S {prefix.ToLowerInvariant()} {(arnServices.Count == 0 ? "-" : string.Join(',', arnServices))} {string.Join(' ', actions)}".TrimEnd());
        }
        const string Prefix = "arn:aws:iam::aws:policy/";
        foreach (var arn in JsonNode.Parse(managedJson)!.AsObject().Select(p => (string?)p.Value).OfType<string>()
            .Where(a => a.StartsWith(Prefix, StringComparison.Ordinal)).Select(a => a[Prefix.Length..]).Distinct().Order(StringComparer.Ordinal))
            lines.Add("M " + arn);
        return string.Join('\n', lines) + "\n";
    }
}
