using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Templates.Generation.CloudFormation;
using static Templates.Generation.Validation.FindingIds;

namespace Templates.Generation.Validation;

public static partial class TemplateValidator
{
    /// <summary>The dependency graph: DependsOn and every Ref, Fn::GetAtt and Fn::Sub between resources.</summary>
    sealed partial class Run
    {
        /// <summary>Each resource's logical ID to the resources it depends on, explicitly or through a function.</summary>
        readonly Dictionary<string, SortedSet<string>> edges = new(StringComparer.Ordinal);

        void FindCycles()
        {
            var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the path, 2 = done
            var path = new List<string>();
            foreach (var id in edges.Keys) Visit(id);

            void Visit(string id)
            {
                if (state.TryGetValue(id, out var s))
                {
                    if (s == 1)
                    {
                        var cycle = path.Skip(path.IndexOf(id)).Append(id);
                        Add(E3004, $"/Resources/{Escape(id)}", $"Circular dependency: {string.Join(" -> ", cycle)}.");
                    }
                    return;
                }
                state[id] = 1;
                path.Add(id);
                if (edges.TryGetValue(id, out var next)) foreach (var dep in next) Visit(dep);
                path.RemoveAt(path.Count - 1);
                state[id] = 2;
            }
        }
    }
}
