using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Templates.Analyzers;

namespace Templates.CodeFixes;

/// <summary>
/// One fix for every rule whose remedy is a single better value: the analyzer computes the value with the shared rules
/// (the nearest Fargate memory, the nearest log retention, the recommended TLS policy, …) and passes it as a C#
/// expression; this provider puts it in place of the offending value.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReplaceValueCodeFix)), Shared]
public sealed class ReplaceValueCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        "TPL0002", "TPL0003", "TPL0004", "TPL0005", "TPL0006", "TPL0007", "TPL0009", "TPL0010",
        "TPL0012", "TPL0016", "TPL0017", "TPL0021", "TPL0031", "TPL0032", "TPL0033", "TPL0034", "TPL0037", "TPL0039", "TPL0050", "TPL0060", "TPL0062", "TPL0063", "TPL0065", "TPL0066", "TPL0067", "TPL0070", "TPL0073", "TPL0074");

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DefinitionAnalyzer.ReplacementKey, out var replacement) || replacement is null) continue;
            if (diagnostic.AdditionalLocations.FirstOrDefault() is not { } target) continue;
            if (root.FindNode(target.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax value) continue;
            var title = $"Use {replacement}";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => Replace(context.Document, root, value, replacement, ct), equivalenceKey: diagnostic.Id + ":" + replacement),
                diagnostic);
        }
    }

    static Task<Document> Replace(Document document, SyntaxNode root, ExpressionSyntax value, string replacement, CancellationToken _)
    {
        var expression = SyntaxFactory.ParseExpression(replacement).WithTriviaFrom(value);
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(value, expression)));
    }
}
