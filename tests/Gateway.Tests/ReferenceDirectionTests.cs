using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace OzonActors.Gateway.Tests;

/// <summary>
/// The direction of references (DESIGN "Layout"): the gateway talks to grain interfaces only, and the contracts depend
/// on nothing of ours. The Gateway project references Grains only to co-host a silo.
/// </summary>
public sealed partial class ReferenceDirectionTests
{
    [Fact]
    public void No_gateway_source_file_uses_a_grain_side_type()
    {
        var gateway = Path.Combine(RepositoryRoot(), "Gateway");
        var offenders = Directory.EnumerateFiles(gateway, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(Path.GetRelativePath(gateway, path)))
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (path, line, number: index + 1)))
            .Where(l => GrainSideName().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(gateway, l.path)}:{l.number}: {l.line.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0,
            "Gateway/ must not use OzonActors.Grains.* types (move them to Grains.Abstractions or behind a grain call):"
            + Environment.NewLine + string.Join(Environment.NewLine, offenders));
    }

    [Fact]
    public void The_gateway_assembly_uses_nothing_of_the_grains_assembly_but_its_silo_hosting_extensions()
    {
        using var pe = new PEReader(File.OpenRead(typeof(Program).Assembly.Location));
        var metadata = pe.GetMetadataReader();
        var offenders = metadata.TypeReferences
            .Select(handle => Outermost(metadata, metadata.GetTypeReference(handle)))
            .Where(type => type.ResolutionScope.Kind == HandleKind.AssemblyReference
                && metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name) == "OzonActors.Grains")
            .Select(type => $"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}")
            .Where(name => name.StartsWith("OzonActors.", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        Assert.True(offenders.Count == 0, "OzonActors.Gateway uses grain-side types: " + string.Join(", ", offenders));
    }

    [Fact]
    public void The_grain_contracts_reference_only_the_framework_and_Orleans()
    {
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var offenders = typeof(DomainException).Assembly.GetReferencedAssemblies()
            .Select(reference => reference.Name!)
            .Where(name => !name.StartsWith("Orleans.", StringComparison.Ordinal) && !File.Exists(Path.Combine(framework, name + ".dll")))
            .ToList();

        Assert.True(offenders.Count == 0, "Grains.Abstractions references more than the framework and Orleans: " + string.Join(", ", offenders));
    }

    /// <summary><c>OzonActors.Grains</c> anywhere, or <c>Grains.X</c> qualified from inside the <c>OzonActors</c> namespace.</summary>
    [GeneratedRegex(@"\bOzonActors\.Grains\b|(?<![\w.])Grains\.[A-Z]")]
    private static partial Regex GrainSideName();

    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0] is "bin" or "obj" or "node_modules";

    /// <summary>A nested type's reference names its outer type; the outermost one names the namespace and assembly.</summary>
    private static TypeReference Outermost(MetadataReader metadata, TypeReference type)
    {
        while (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            type = metadata.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
        }

        return type;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OzonActors.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("OzonActors.sln not found above the test binaries.");
    }
}
