using System.IO.Compression;
using System.Text.Json.Nodes;
using Templates.Generation.CloudFormation;
using static Templates.Generation.Validation.FindingIds;
using static Templates.Generation.Validation.TemplateValidator;

namespace Templates.Generation.Validation;

/// <summary>
/// IAM knowledge: the shape of every policy document of a template (identity policies of roles, users and groups,
/// <c>AWS::IAM::Policy</c>/<c>ManagedPolicy</c>, trust policies, and the bucket, queue, topic, repository and key policies),
/// whether its actions exist, whether an action's service can act on the resources named, and whether the AWS managed
/// policies named in <c>ManagedPolicyArns</c> exist. The facts (<c>Schemas/iam.txt.gz</c>, produced by <c>tools/SchemaTool</c>
/// from cfn-lint 1.51.0's copy of AWS's Service Authorization Reference and list of AWS managed policies) are read on the
/// first policy document met. Values given by an intrinsic function are left alone.
/// </summary>
public static partial class IamPolicies
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\$\{[^}]*\}")]
    private static partial System.Text.RegularExpressions.Regex SubVariables();

    /// <summary>Which kind of policy a document is: the elements IAM requires and refuses differ.</summary>
    enum Kind { Identity, Trust, Resource }

    // Where each resource type holds its policy documents. Policies[*].PolicyDocument is marked with "*".
    static readonly Dictionary<string, (string Path, Kind Kind)[]> Documents = new(StringComparer.Ordinal)
    {
        ["AWS::IAM::Role"] = [("AssumeRolePolicyDocument", Kind.Trust), ("Policies/*/PolicyDocument", Kind.Identity)],
        ["AWS::IAM::User"] = [("Policies/*/PolicyDocument", Kind.Identity)],
        ["AWS::IAM::Group"] = [("Policies/*/PolicyDocument", Kind.Identity)],
        ["AWS::IAM::Policy"] = [("PolicyDocument", Kind.Identity)],
        ["AWS::IAM::ManagedPolicy"] = [("PolicyDocument", Kind.Identity)],
        ["AWS::IAM::RolePolicy"] = [("PolicyDocument", Kind.Identity)],
        ["AWS::IAM::UserPolicy"] = [("PolicyDocument", Kind.Identity)],
        ["AWS::IAM::GroupPolicy"] = [("PolicyDocument", Kind.Identity)],
        ["AWS::S3::BucketPolicy"] = [("PolicyDocument", Kind.Resource)],
        ["AWS::SQS::QueuePolicy"] = [("PolicyDocument", Kind.Resource)],
        ["AWS::SNS::TopicPolicy"] = [("PolicyDocument", Kind.Resource)],
        ["AWS::ECR::Repository"] = [("RepositoryPolicyText", Kind.Resource)],
        ["AWS::KMS::Key"] = [("KeyPolicy", Kind.Resource)],
    };

    // The elements of a statement (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html).
    static readonly HashSet<string> StatementElements =
        ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

    static readonly Lazy<Facts> facts = new(Facts.Load);

    /// <summary>Adds the IAM findings of every resource of the template.</summary>
    public static void Run(JsonObject template, List<TemplateProblem> problems)
    {
        if (template["Resources"] is not JsonObject resources) return;
        // A transform (SAM) rewrites policies before CloudFormation sees them: its documents are not the deployed ones.
        if (template.ContainsKey("Transform")) return;
        foreach (var (id, node) in resources)
        {
            if (node is not JsonObject resource || resource["Properties"] is not JsonObject properties || AsString(resource["Type"]) is not { } type) continue;
            var at = $"/Resources/{Escape(id)}/Properties";
            if (Documents.TryGetValue(type, out var places))
                foreach (var (path, kind) in places)
                    foreach (var (document, pointer) in Find(properties, path.Split('/'), at))
                        Document(document, pointer, kind, problems);
            if (type is "AWS::IAM::Role" or "AWS::IAM::User" or "AWS::IAM::Group" && properties["ManagedPolicyArns"] is JsonArray arns)
                for (var i = 0; i < arns.Count; i++) ManagedPolicyArn(arns[i], $"{at}/ManagedPolicyArns/{i}", problems);
        }
    }

    /// <summary>The literal objects at a path of keys (<c>*</c> = every item of a list).</summary>
    static IEnumerable<(JsonObject Node, string Pointer)> Find(JsonNode? node, ReadOnlyMemory<string> path, string pointer)
    {
        if (path.Length == 0)
        {
            if (node is JsonObject o && AsFunction(o) is null) yield return (o, pointer);
            yield break;
        }
        var step = path.Span[0];
        if (step == "*")
        {
            if (node is not JsonArray list) yield break;
            for (var i = 0; i < list.Count; i++)
                foreach (var found in Find(list[i], path[1..], $"{pointer}/{i}")) yield return found;
        }
        else if (node is JsonObject o && AsFunction(o) is null && o[step] is { } child)
            foreach (var found in Find(child, path[1..], $"{pointer}/{Escape(step)}")) yield return found;
    }

    static IEnumerable<(JsonObject Node, string Pointer)> Find(JsonNode? node, string[] path, string pointer) => Find(node, path.AsMemory(), pointer);

    static void Document(JsonObject document, string at, Kind kind, List<TemplateProblem> problems)
    {
        void Add(FindingId id, string pointer, string message) => problems.Add(id.At(pointer, message));

        foreach (var (key, _) in document)
            if (key is not ("Version" or "Id" or "Statement"))
                Add(E3510, $"{at}/{Escape(key)}", $"'{key}' is not an element of a policy document (Version, Id, Statement).");
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
        if (document["Version"] is JsonValue version && AsString(version) is var v && v is not ("2012-10-17" or "2008-10-17"))
            Add(E3510, $"{at}/Version", $"The policy Version is {version.ToJsonString()}; IAM knows \"2012-10-17\" (current) and \"2008-10-17\".");
        var statements = document["Statement"];
        switch (statements)
        {
            case null:
                Add(E3510, at, "A policy document needs a Statement.");
                return;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++) Statement(list[i], $"{at}/Statement/{i}");
                break;
            default:
                Statement(statements, $"{at}/Statement");
                break;
        }

        void Statement(JsonNode? node, string where)
        {
            if (node is not JsonObject statement)
            {
                if (node is JsonValue) Add(E3510, where, "A statement is an object with Effect, Action and (for an identity policy) Resource.");
                return;
            }
            if (AsFunction(statement) is not null) return;
            foreach (var (key, _) in statement)
                if (!StatementElements.Contains(key))
                    Add(E3510, $"{where}/{Escape(key)}", $"'{key}' is not an element of a policy statement ({string.Join(", ", StatementElements)}).");
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html
            if (!statement.ContainsKey("Effect")) Add(E3510, where, "The statement has no Effect (Allow or Deny).");
            else if (statement["Effect"] is JsonValue effect && AsString(effect) is not ("Allow" or "Deny"))
                Add(E3510, $"{where}/Effect", $"The Effect is {effect.ToJsonString()}; IAM takes \"Allow\" or \"Deny\" (case matters).");
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html: one of Action, NotAction.
            var hasAction = statement.ContainsKey("Action");
            if (hasAction == statement.ContainsKey("NotAction"))
                Add(E3510, where, hasAction ? "The statement has both Action and NotAction: give one." : "The statement has neither Action nor NotAction: give one.");
            var hasResource = statement.ContainsKey("Resource");
            if (hasResource && statement.ContainsKey("NotResource")) Add(E3510, where, "The statement has both Resource and NotResource: give one.");
            // An identity policy's statement applies to the resources it names: IAM refuses one without (MalformedPolicyDocument).
            else if (kind == Kind.Identity && !hasResource && !statement.ContainsKey("NotResource"))
                Add(E3510, where, "A statement of an identity policy needs Resource (or NotResource): name the resources, or \"*\".");
            if (kind == Kind.Identity && (statement.ContainsKey("Principal") || statement.ContainsKey("NotPrincipal")))
                Add(E3510, $"{where}/{(statement.ContainsKey("Principal") ? "Principal" : "NotPrincipal")}", "An identity policy applies to its role, user or group: it takes no Principal.");
            if (kind == Kind.Trust && !statement.ContainsKey("Principal") && !statement.ContainsKey("NotPrincipal"))
                Add(E3510, where, "A statement of a trust policy needs the Principal that may assume the role.");

            var resources = new List<(string Text, string Pointer)>();
            var resourcesKnown = true;
            foreach (var name in new[] { "Resource", "NotResource" })
                foreach (var (item, pointer) in Items(statement[name], $"{where}/{name}"))
                {
                    var literal = AsString(item);
                    // A dynamic reference ({{resolve:ssm:…}}) is resolved by CloudFormation before IAM sees the policy.
                    if (literal?.StartsWith("{{resolve:", StringComparison.Ordinal) == true) { resourcesKnown = false; continue; }
                    if (literal is null)
                    {
                        // Fn::Sub's text tells the service when it is written out (arn:${AWS::Partition}:ecr:…); any other function does not.
                        if (name == "Resource" && AsFunction(item) is ("Fn::Sub", var sub) && AsString(sub is JsonArray a ? (a.Count > 0 ? a[0] : null) : sub) is { } text) resources.Add((text, pointer));
                        else resourcesKnown = false;
                        continue;
                    }
                    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html: an ARN or "*".
                    // Only the start is held against it: a wildcard may stand for the segments after the service
                    // ("arn:aws:execute-api:*", which cfn-lint accepts), and IAM's own parser is not documented further.
                    if (literal != "*" && (!literal.StartsWith("arn:", StringComparison.Ordinal) || literal.Split(':').Length < 3))
                        Add(E3510, pointer, $"'{literal}' is neither an ARN (arn:partition:service:region:account:resource) nor \"*\".");
                    if (name == "NotResource") resourcesKnown = false;
                    else resources.Add((literal, pointer));
                }
            var services = ArnServices(resources, ref resourcesKnown);

            foreach (var name in new[] { "Action", "NotAction" })
                foreach (var (item, pointer) in Items(statement[name], $"{where}/{name}"))
                {
                    if (AsString(item) is not { } action || action == "*" || action.StartsWith("{{resolve:", StringComparison.Ordinal)) continue;
                    var colon = action.IndexOf(':');
                    if (colon <= 0 || colon == action.Length - 1 || action.IndexOf(':', colon + 1) >= 0)
                    {
                        Add(E3510, pointer, $"'{action}' is not an action: write service:action (such as s3:GetObject), or \"*\".");
                        continue;
                    }
                    var prefix = action[..colon].ToLowerInvariant();
                    var verb = action[(colon + 1)..].ToLowerInvariant();
                    var facts = IamPolicies.facts.Value;
                    if (!facts.Services.TryGetValue(prefix, out var service))
                    {
                        Add(W3037, pointer, $"'{prefix}' is not an IAM service prefix ({facts.Origin}): '{action}' matches no action.");
                        continue;
                    }
                    if (!service.Matches(verb))
                    {
                        var close = service.Closest(verb);
                        Add(W3037, pointer, $"'{action}' is not an action of {prefix}{(close is null ? "" : $": did you mean {prefix}:{close}")} ({facts.Origin}).");
                        continue;
                    }
                    // An action can only ever act on resources of its own service (or those its service's resource types name).
                    if (name == "Action" && resourcesKnown && services.Count > 0 && service.ArnServices.Count > 0
                        && !services.Overlaps(service.ArnServices) && !services.Contains(prefix))
                        Add(V1010, pointer, $"'{action}' acts on {string.Join(", ", service.ArnServices.Order(StringComparer.Ordinal))} resources, but the statement names only {string.Join(", ", services.Order(StringComparer.Ordinal))} resources: the action is never allowed on them.");
                }
        }
    }

    /// <summary>The service segment of each resource ARN; <paramref name="known"/> turns false when one cannot be told (a variable, "*").</summary>
    static HashSet<string> ArnServices(List<(string Text, string Pointer)> resources, ref bool known)
    {
        var services = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (written, _) in resources)
        {
            // Fn::Sub's variables (${AWS::Partition}) hold colons of their own: each stands for one unknown segment.
            var text = SubVariables().Replace(written, "$");
            var parts = text.Split(':');
            if (text == "*" || parts.Length < 6 || parts[0] != "arn" || parts[2].Length == 0 || parts[2].Contains('$') || parts[2].Contains('*') || parts[2].Contains('?'))
            {
                known = false;
                continue;
            }
            services.Add(parts[2]);
        }
        return services;
    }

    /// <summary>A value or a list of values, each with its pointer; functions are skipped (their value is not known here).</summary>
    static IEnumerable<(JsonNode? Item, string Pointer)> Items(JsonNode? node, string pointer)
    {
        switch (node)
        {
            case null: yield break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++) yield return (list[i], $"{pointer}/{i}");
                break;
            default:
                yield return (node, pointer);
                break;
        }
    }

    /// <summary>
    /// An AWS managed policy ARN (<c>arn:PARTITION:iam::aws:policy/PATH/NAME</c>, literal or through Fn::Sub's
    /// <c>${AWS::Partition}</c>): its name under another path is an error (the role cannot be created); a name not in the
    /// list is a warning, since AWS adds managed policies after the list was taken.
    /// </summary>
    static void ManagedPolicyArn(JsonNode? node, string at, List<TemplateProblem> problems)
    {
        var text = AsString(node) ?? (AsFunction(node) is ("Fn::Sub", var sub) ? AsString(sub) : null);
        if (text is null) return;
        const string Marker = ":iam::aws:policy/";
        var marker = text.IndexOf(Marker, StringComparison.Ordinal);
        if (marker < 4 || !text.StartsWith("arn:", StringComparison.Ordinal)) return;
        var partition = text[4..marker];
        if (partition is not ("aws" or "aws-cn" or "aws-us-gov" or "${AWS::Partition}")) return;
        var path = text[(marker + Marker.Length)..];
        if (path.Contains('$')) return;
        var facts = IamPolicies.facts.Value;
        if (facts.ManagedPolicies.Contains(path)) return;
        var name = path[(path.LastIndexOf('/') + 1)..];
        if (facts.ManagedByName.TryGetValue(name, out var real))
        {
            problems.Add(V1011.At(at, $"The AWS managed policy {name} is at arn:{partition}:iam::aws:policy/{real}, not policy/{path}: the role cannot be created. Did you mean policy/{real}?"));
            return;
        }
        var close = Closest(name, facts.ManagedByName.Keys);
        problems.Add(V1012.At(at, $"policy/{path} is not an AWS managed policy ({facts.Origin}){(close is null ? "" : $": did you mean policy/{facts.ManagedByName[close]}")}. If AWS added it since, refresh the list with tools/SchemaTool."));
    }

    /// <summary>The candidate nearest to <paramref name="word"/> by edit distance, if within a quarter of its length (at least 2).</summary>
    internal static string? Closest(string word, IEnumerable<string> candidates)
    {
        var limit = Math.Max(2, word.Length / 4);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (Math.Abs(candidate.Length - word.Length) > limit) continue;
            var d = Distance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance || (d == bestDistance && string.CompareOrdinal(candidate, best) < 0)) (best, bestDistance) = (candidate, d);
        }
        return bestDistance <= limit ? best : null;
    }

    static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>
    /// One service prefix: its actions (lowercase) and the services its resource ARNs name, split out of its line of
    /// <c>iam.txt.gz</c> on first use (a template uses a handful of the 449 prefixes).
    /// </summary>
    internal sealed class Service(string line)
    {
        readonly Lazy<(string[] Actions, HashSet<string> Set, IReadOnlySet<string> ArnServices)> parsed = new(() =>
        {
            var parts = line.Split(' ');
            var arnServices = parts[2] == "-" ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(parts[2].Split(','), StringComparer.Ordinal);
            return (parts[3..], new HashSet<string>(parts[3..], StringComparer.Ordinal), arnServices);
        });

        public IReadOnlySet<string> ArnServices => parsed.Value.ArnServices;

        /// <summary>Whether an action (lowercase; <c>*</c> and <c>?</c> are wildcards) names at least one action of the service.</summary>
        public bool Matches(string verb)
        {
            if (verb.IndexOfAny(['*', '?']) < 0) return parsed.Value.Set.Contains(verb);
            var pattern = new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(verb).Replace("\\*", ".*").Replace("\\?", ".") + "$",
                System.Text.RegularExpressions.RegexOptions.CultureInvariant);
            return parsed.Value.Actions.Any(pattern.IsMatch);
        }

        public string? Closest(string verb) => verb.IndexOfAny(['*', '?']) >= 0 ? null : IamPolicies.Closest(verb, parsed.Value.Actions);
    }

    /// <summary>The IAM facts of <c>Schemas/iam.txt.gz</c>.</summary>
    internal sealed class Facts
    {
        public required IReadOnlyDictionary<string, Service> Services { get; init; }
        public required IReadOnlySet<string> ManagedPolicies { get; init; }
        /// <summary>A managed policy's name to its path and name.</summary>
        public required IReadOnlyDictionary<string, string> ManagedByName { get; init; }
        public string Origin => "IAM facts of cfn-lint 1.51.0";

        public static Facts Load()
        {
            using var stream = typeof(IamPolicies).Assembly.GetManifestResourceStream("schemas/iam.txt.gz")
                ?? throw new InvalidOperationException("The embedded iam.txt.gz is missing.");
            using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
            var services = new Dictionary<string, Service>(StringComparer.Ordinal);
            var managed = new HashSet<string>(StringComparer.Ordinal);
            var byName = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.ReadLine() is { } line)
            {
                if (line.StartsWith("S ", StringComparison.Ordinal)) services[line[2..line.IndexOf(' ', 2)]] = new Service(line);
                else if (line.StartsWith("M ", StringComparison.Ordinal))
                {
                    var path = line[2..];
                    managed.Add(path);
                    byName.TryAdd(path[(path.LastIndexOf('/') + 1)..], path);
                }
            }
            return new Facts { Services = services, ManagedPolicies = managed, ManagedByName = byName };
        }
    }
}
