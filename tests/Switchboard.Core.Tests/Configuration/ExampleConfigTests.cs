using Shouldly;
using Switchboard.Configuration;
using Xunit;

namespace Switchboard.Core.Tests.Configuration;

public sealed class ExampleConfigTests
{
    [Fact]
    public void The_shipped_example_config_loads_and_places_its_models()
    {
        var path = Path.Combine(RepositoryRoot(), "examples", "switchboard.yaml");
        var options = ConfigLoader.Load(path, _ => null);
        using var runtime = new SwitchboardRuntime(options, environment: _ => null);

        runtime.Resolver.Resolve("claude").Provider.Name.ShouldBe("openrouter");
        runtime.Resolver.Resolve("local").Provider.Name.ShouldBe("local");
        runtime.Resolver.Resolve("fast").CatalogModel!.Defaults["temperature"].ShouldBe("0.3");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Switchboard.slnx"))) return directory.FullName;
        }
        throw new InvalidOperationException("The repository root (with Switchboard.slnx) is not above the test's directory.");
    }
}
