using System.Diagnostics;
using OzonActors.Testing;

namespace OzonActors.Bench.Cluster;

/// <summary>
/// Builds the process projects (<c>Silo</c>, <c>Gateway</c>) in the bench's own configuration before a scenario starts
/// them, so the processes measured run the current code: <see cref="GatewayProcess"/> runs them from
/// <c>{project}/bin/{configuration}/net10.0</c>.
/// </summary>
internal static class ProjectBuild
{
    /// <summary>The folder holding OzonActors.sln, above the bench binaries.</summary>
    public static string RepositoryRoot { get; } = GatewayProcess.RepositoryRoot();

    /// <summary>"Release" or "Debug", as the bench itself was built.</summary>
    public static string Configuration => GatewayProcess.BuildConfiguration;

    /// <summary>
    /// <c>dotnet build -c {configuration} {project}/{project}.csproj</c> for each project, one after the other
    /// (<c>dotnet build</c> takes one project); a failed build throws with its output.
    /// </summary>
    public static async Task BuildAsync(string scenario, params IEnumerable<string> projects)
    {
        foreach (var project in projects)
        {
            Report.Progress($"{scenario}: dotnet build -c {Configuration} {project}/{project}.csproj ...");
            var path = Path.Combine(RepositoryRoot, project, $"{project}.csproj");
            using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", "-c", Configuration, "--nologo", "-v", "q", path])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("dotnet could not be started.");
            var output = build.StandardOutput.ReadToEndAsync();
            var error = build.StandardError.ReadToEndAsync();
            await build.WaitForExitAsync();
            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException($"Building {project} failed:\n{await output}\n{await error}");
            }
        }
    }
}
