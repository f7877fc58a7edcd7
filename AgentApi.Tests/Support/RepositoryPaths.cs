namespace AgentApi.Tests.Support;

/// <summary>Files of the repository the tests read: found by walking up from the test output to <c>AgentApi.sln</c>.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string OpenApiContract => Path.Combine(Root, "AgentApi.Web", "openapi.json");

    public static string TypeScriptClient => Path.Combine(Root, "clients", "typescript");

    /// <summary>The app's build output, <c>AgentApi.Web.dll</c>, of the configuration the tests were built in.</summary>
    public static string BuiltApp
    {
        get
        {
            // The test runs from AgentApi.Tests/bin/<configuration>/<tfm>/; the app's build output has the same shape.
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var app = Path.Combine(Root, "AgentApi.Web", "bin", testOutput.Parent!.Name, testOutput.Name, "AgentApi.Web.dll");
            Assert.That(app, Does.Exist, "build the solution first");
            return app;
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AgentApi.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No AgentApi.sln above {AppContext.BaseDirectory}.");
    }
}
