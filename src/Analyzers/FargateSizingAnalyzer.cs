using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Templates.Rules;

namespace Templates.Analyzers;

/// <summary>TPL0003: a <c>new FargateService { Cpu = …, MemoryMiB = … }</c> whose constant CPU/memory pair Fargate does not offer.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FargateSizingAnalyzer : DiagnosticAnalyzer
{
    // The DSL's defaults, used when an initializer leaves a setting out.
    const int DefaultCpu = 256;
    const int DefaultMemory = 512;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TPL0003_FargateCpuMemory);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Resolve the DSL type once; a compilation that does not reference the DSL costs nothing more.
            var service = start.Compilation.GetTypeByMetadataName("Templates.FargateService");
            if (service is null) return;
            start.RegisterOperationAction(c => Analyze(c, service), OperationKind.ObjectCreation);
        });
    }

    static void Analyze(OperationAnalysisContext context, INamedTypeSymbol service)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (!SymbolEqualityComparer.Default.Equals(creation.Type, service) || creation.Initializer is null) return;

        int? cpu = DefaultCpu, memory = DefaultMemory;
        var location = creation.Syntax.GetLocation();
        foreach (var initializer in creation.Initializer.Initializers)
        {
            if (initializer is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment) continue;
            var value = Constants.Int32(assignment.Value);
            switch (property.Property.Name)
            {
                case "Cpu":
                    cpu = value;
                    break;
                case "MemoryMiB":
                    memory = value;
                    location = assignment.Syntax.GetLocation();
                    break;
            }
        }
        // Stay silent on values that are not compile-time constants: the generator checks them at run time.
        if (cpu is null || memory is null) return;
        if (Checks.FargateCpuMemory(cpu.Value, memory.Value) is { } violation)
            context.ReportDiagnostic(Descriptors.Report(Descriptors.TPL0003_FargateCpuMemory, location, violation));
    }
}
