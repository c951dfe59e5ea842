using Shouldly;
using Switchboard.Configuration;
using Switchboard.Routing;
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

    [Fact]
    public void The_routing_example_loads_and_routes_as_written()
    {
        var options = ConfigLoader.Load(Path.Combine(RepositoryRoot(), "examples", "routing.yaml"), _ => null);
        using var runtime = new SwitchboardRuntime(options, environment: TestRuntime.AllKeys().GetValueOrDefault);
        var router = runtime.Router;
        RoutingContext Request(double? priority = null, string[]? labels = null, int hour = 12, string? id = null, double complexity = 1) =>
            new(() => new PromptAnalysis(200, complexity, [])) { Priority = priority, Labels = labels ?? [], Hour = hour, Id = id, ProviderStatus = runtime.Deployments.Status };
        string First(string name, RoutingContext context) => router.Route(name, context).Candidates[0].Deployment;

        options.Routes.Keys.ShouldBe(["smart", "balanced", "fast", "cheapest", "triage", "tiered", "trial"], ignoreOrder: true);
        router.Route("smart", Request()).Candidates.Select(c => c.Deployment).ShouldBe(["anthropic/claude-sonnet-4-5", "openrouter/anthropic/claude-sonnet-4", "openai/gpt-4.1"]);

        var urgent = router.Route("triage", Request(priority: 0));
        urgent.Rule.ShouldBe("urgent");
        urgent.Candidates[0].Deployment.ShouldBe("anthropic/claude-sonnet-4-5");
        router.Route("triage", Request(priority: 2, labels: ["documentation"])).Rule.ShouldBe("docs are cheap");
        router.Route("triage", Request(priority: 2, hour: 23)).Rule.ShouldBe("night batch");
        router.Route("triage", Request(priority: 2, hour: 12, id: "task-30")).Rule.ShouldBe("one task in ten to the canary");
        var daytime = router.Route("triage", Request(priority: 2, hour: 12, id: "task-31", complexity: 8));
        daytime.Rule.ShouldBe("default");
        daytime.Candidates[0].Deployment.ShouldBe("openai/gpt-5");
        daytime.Candidates[^1].Deployment.ShouldBe("openai/gpt-4o-mini");

        First("tiered", Request(complexity: 1)).ShouldBe("openai/gpt-5-nano");
        First("tiered", Request(complexity: 5)).ShouldBe("openai/gpt-5-mini");
        router.Route("gpt-4o-mini", new RoutingContext { Agent = "pricing" }).Route.ShouldBe("agent:pricing");
        router.Route("standard", new RoutingContext { Stage = "review" }).Candidates[0].Deployment.ShouldBe("anthropic/claude-opus-4-1");
        runtime.Catalog.Find(runtime.Providers.Find("openrouter")!, "cohere/command-r-plus")!.Has("tools").ShouldBeTrue();
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
