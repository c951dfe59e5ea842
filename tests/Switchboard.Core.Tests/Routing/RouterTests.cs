using Shouldly;
using Switchboard.Configuration;
using Switchboard.Routing;
using Xunit;

namespace Switchboard.Core.Tests.Routing;

public sealed class RouterTests
{
    private static SwitchboardRuntime Runtime(string yaml, Dictionary<string, string?>? environment = null) =>
        TestRuntime.Create(yaml, environment ?? TestRuntime.AllKeys());

    private static string[] Deployments(RoutingDecision decision) => decision.Candidates.Select(c => c.Deployment).ToArray();

    private static RoutingContext Context(string model = "x", string? agent = null, string? stage = null, string? workflow = null, string? id = null,
        bool tools = false, int tokens = 10) =>
        new(() => new PromptAnalysis(tokens, 0, [])) { Model = model, Agent = agent, Stage = stage, Workflow = workflow, Id = id, HasTools = tools };

    [Fact]
    public void A_model_asked_for_directly_is_its_only_candidate()
    {
        using var runtime = Runtime("");

        var decision = runtime.Router.Route("gpt-4o-mini");

        Deployments(decision).ShouldBe(["openai/gpt-4o-mini"]);
        decision.Route.ShouldBeNull();
        decision.Candidates[0].Reason.ShouldBe("asked for");
    }

    [Fact]
    public void A_fallback_route_keeps_its_order_and_expands_nested_routes()
    {
        using var runtime = Runtime("""
            routes:
              cheap: { strategy: fallback, targets: [groq/llama-3.3-70b-versatile, gpt-4o-mini] }
              smart: { strategy: fallback, targets: [claude-sonnet-4-5, cheap], fallbacks: [gpt-4.1] }
            """);

        var decision = runtime.Router.Route("smart", Context("smart"));

        decision.Route.ShouldBe("smart");
        Deployments(decision).ShouldBe(["anthropic/claude-sonnet-4-5", "groq/llama-3.3-70b-versatile", "openai/gpt-4o-mini", "openai/gpt-4.1"]);
        decision.Candidates[1].Reason.ShouldBe("smart: fallback 1 > cheap: first in order");
        decision.Candidates[3].Reason.ShouldBe("smart: fallback");
    }

    [Fact]
    public void The_same_deployment_reached_twice_is_tried_once()
    {
        using var runtime = Runtime("routes: { r: { strategy: fallback, targets: [gpt-4o-mini, openai/gpt-4o-mini, gpt-4.1] } }");

        Deployments(runtime.Router.Route("r", Context())).ShouldBe(["openai/gpt-4o-mini", "openai/gpt-4.1"]);
    }

    [Fact]
    public void Weighted_picks_in_proportion_to_weight()
    {
        using var runtime = TestRuntime.Create("""
            routes:
              lb: { strategy: loadbalance, targets: [{ target: gpt-4o-mini, weight: 3 }, { target: gpt-4.1, weight: 1 }] }
            """, TestRuntime.AllKeys());
        var router = new Router(runtime.Options, runtime.Resolver, runtime.Deployments, new Random(7));

        var first = Enumerable.Range(0, 4000).Select(_ => router.Route("lb", Context()).Candidates[0].Deployment).ToList();

        var share = first.Count(d => d == "openai/gpt-4o-mini") / 4000.0;
        share.ShouldBeInRange(0.72, 0.78);
        router.Route("lb", Context()).Candidates.Count.ShouldBe(2);
    }

    [Fact]
    public void Split_by_id_always_sends_the_same_id_to_the_same_target()
    {
        using var runtime = Runtime("""
            routes:
              ab: { strategy: split, targets: [{ target: gpt-4o-mini, percent: 90 }, { target: gpt-4.1, percent: 10 }] }
            """);

        var ids = Enumerable.Range(0, 2000).Select(i => "task-" + i).ToList();
        var firstRun = ids.Select(id => runtime.Router.Route("ab", Context(id: id)).Candidates[0].Deployment).ToList();
        var secondRun = ids.Select(id => runtime.Router.Route("ab", Context(id: id)).Candidates[0].Deployment).ToList();

        secondRun.ShouldBe(firstRun);
        (firstRun.Count(d => d == "openai/gpt-4.1") / 2000.0).ShouldBeInRange(0.07, 0.13);
        runtime.Router.Route("ab", Context(id: "task-1")).Rule.ShouldStartWith(firstRun[1] == "openai/gpt-4.1" ? "10% split, id bucket" : "90% split, id bucket");
    }

    [Fact]
    public void Least_latency_tries_the_fastest_measured_target_first_and_unmeasured_ones_before_it()
    {
        using var runtime = Runtime("routes: { fast: { strategy: loadbalance, mode: least-latency, targets: [gpt-4o-mini, gpt-4.1, gpt-4o] } }");
        runtime.Deployments.Get("openai", "gpt-4o-mini").RecordFirstByte(TimeSpan.FromMilliseconds(900));
        runtime.Deployments.Get("openai", "gpt-4.1").RecordFirstByte(TimeSpan.FromMilliseconds(200));

        var decision = runtime.Router.Route("fast", Context());

        Deployments(decision).ShouldBe(["openai/gpt-4o", "openai/gpt-4.1", "openai/gpt-4o-mini"]);
        decision.Candidates[1].Reason.ShouldContain("200ms");
    }

    [Fact]
    public void Least_busy_prefers_the_target_with_fewer_calls_in_flight()
    {
        using var runtime = Runtime("routes: { busy: { strategy: loadbalance, mode: least-busy, targets: [gpt-4o-mini, gpt-4.1] } }");
        var loaded = runtime.Deployments.Get("openai", "gpt-4o-mini");
        for (var i = 0; i < 5; i++) loaded.Started();

        for (var i = 0; i < 20; i++) runtime.Router.Route("busy", Context()).Candidates[0].Deployment.ShouldBe("openai/gpt-4.1");
    }

    [Fact]
    public void Cost_tries_the_cheapest_capable_target_first()
    {
        using var runtime = Runtime("""
            models:
              - { name: backup/no-tools, input_per_mtok: 0.01, output_per_mtok: 0.01, capabilities: [streaming] }
            providers:
              backup: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
            routes:
              cheap: { strategy: loadbalance, mode: cost, targets: [gpt-4.1, gpt-4o-mini, backup/no-tools] }
            """);

        var plain = runtime.Router.Route("cheap", Context());
        var withTools = runtime.Router.Route("cheap", Context(tools: true));

        Deployments(plain).ShouldBe(["backup/no-tools", "openai/gpt-4o-mini", "openai/gpt-4.1"]);
        Deployments(withTools).ShouldBe(["openai/gpt-4o-mini", "openai/gpt-4.1"]);
        withTools.Skipped.ShouldHaveSingleItem().ShouldBe(new SkippedTarget("backup/no-tools", "the request has tools; the model does not take tools"));
    }

    [Fact]
    public void A_prompt_bigger_than_a_models_context_window_skips_that_model()
    {
        using var runtime = Runtime("""
            providers:
              backup: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
            models:
              - { name: backup/small, context_window: 4000 }
            routes:
              r: { strategy: fallback, targets: [backup/small, gpt-4.1] }
            """);

        var decision = runtime.Router.Route("r", Context(tokens: 9000));

        Deployments(decision).ShouldBe(["openai/gpt-4.1"]);
        decision.Skipped.Single().Reason.ShouldBe("the prompt's estimated 9,000 tokens exceed its context window of 4,000");
    }

    [Fact]
    public void A_target_without_its_key_is_skipped_and_if_none_has_one_the_error_names_the_variable()
    {
        using var runtime = Runtime("routes: { r: { strategy: fallback, targets: [claude-sonnet-4-5, gpt-4o-mini] } }", new() { ["OPENAI_API_KEY"] = "sk-x" });
        using var none = Runtime("routes: { r: { strategy: fallback, targets: [claude-sonnet-4-5] } }", []);

        var decision = runtime.Router.Route("r", Context());
        var error = Should.Throw<SwitchboardException>(() => none.Router.Route("r", Context()));

        Deployments(decision).ShouldBe(["openai/gpt-4o-mini"]);
        decision.Skipped.Single().ShouldBe(new SkippedTarget("anthropic/claude-sonnet-4-5", "no key: ANTHROPIC_API_KEY not set"));
        error.StatusCode.ShouldBe(401);
        error.Message.ShouldContain("export ANTHROPIC_API_KEY=");
    }

    [Fact]
    public void When_no_target_can_serve_the_request_the_error_says_why_for_each()
    {
        using var runtime = Runtime("""
            providers:
              backup: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
            models:
              - { name: backup/plain, capabilities: [streaming] }
            routes:
              r: { strategy: fallback, targets: [backup/plain] }
            """);

        var error = Should.Throw<SwitchboardException>(() => runtime.Router.Route("r", Context(tools: true)));

        error.StatusCode.ShouldBe(400);
        error.Code.ShouldBe("no_capable_target");
        error.Message.ShouldContain("backup/plain: the request has tools; the model does not take tools");
    }

    [Fact]
    public void An_agent_header_picks_the_agents_chain_then_the_model_asked_for()
    {
        using var runtime = Runtime("agents: { pricing: [groq/llama-3.3-70b-versatile, gpt-4.1] }");

        var decision = runtime.Router.Route("gpt-4o-mini", Context("gpt-4o-mini", agent: "pricing"));
        var byName = runtime.Router.Route("pricing", Context("pricing"));

        decision.Route.ShouldBe("agent:pricing");
        Deployments(decision).ShouldBe(["groq/llama-3.3-70b-versatile", "openai/gpt-4.1", "openai/gpt-4o-mini"]);
        Deployments(byName).ShouldBe(["groq/llama-3.3-70b-versatile", "openai/gpt-4.1"]);
        Deployments(runtime.Router.Route("gpt-4o-mini", Context("gpt-4o-mini", agent: "someone-else"))).ShouldBe(["openai/gpt-4o-mini"]);
    }

    [Fact]
    public void A_workflow_stage_picks_the_stages_model_and_an_unknown_stage_names_the_stages()
    {
        using var runtime = Runtime("workflows: { standard: { plan: claude-haiku-4-5, implement: claude-sonnet-4-5, review: gpt-4.1 } }");

        var review = runtime.Router.Route("standard", Context("standard", stage: "review"));
        var viaContext = runtime.Router.Route("gpt-4o-mini", Context("gpt-4o-mini", workflow: "standard", stage: "plan"));
        var error = Should.Throw<SwitchboardException>(() => runtime.Router.Route("standard", Context("standard", stage: "deploy")));

        Deployments(review).ShouldBe(["openai/gpt-4.1"]);
        review.Rule.ShouldBe("workflow standard, stage review");
        viaContext.Candidates[0].Deployment.ShouldBe("anthropic/claude-haiku-4-5");
        error.StatusCode.ShouldBe(400);
        error.Message.ShouldBe("Workflow standard has no stage 'deploy'. Its stages are: plan, implement, review.");
    }

    [Fact]
    public void A_target_that_is_neither_a_route_nor_a_model_is_a_config_error()
    {
        var error = Should.Throw<ConfigException>(() => Runtime("routes: { r: { strategy: fallback, targets: [gpt-4o-mini, no-such-thing] } }"));

        error.Problems.ShouldHaveSingleItem().ShouldStartWith("routes.r: 'no-such-thing' is not a route, agent or workflow, nor a model Switchboard can place.");
    }

    [Fact]
    public void A_route_that_leads_back_to_itself_is_a_config_error()
    {
        var error = Should.Throw<ConfigException>(() => Runtime("""
            routes:
              a: { strategy: fallback, targets: [b] }
              b: { strategy: fallback, targets: [gpt-4o-mini, a] }
            """));

        error.Problems.ShouldContain("routes: a > b > a leads back to itself.");
    }

    [Fact]
    public void Route_config_mistakes_are_named_with_their_line()
    {
        var error = Should.Throw<ConfigException>(() => Runtime("""
            routes:
              a: { strategy: fastest, targets: [gpt-4o-mini] }
              b: { strategy: split, targets: [{ target: gpt-4o-mini, percent: 60 }, { target: gpt-4.1, percent: 30 }] }
              c: { strategy: rules, rules: [{ when: "priority == 0", target: gpt-4.1 }] }
              d: { strategy: complexity, tiers: [{ below: 3, model: gpt-4o-mini }, { below: 7, model: gpt-4.1 }] }
              e: { strategy: loadbalance, mode: fastest, targets: [gpt-4o-mini] }
            """));

        error.Problems.ShouldBe([
            "switchboard.yaml:2:18: routes.a.strategy 'fastest' is not one of: fallback, loadbalance, rules, complexity, split.",
            "switchboard.yaml:3:34: routes.b.targets of a split must have percents that add up to 100, not 90.",
            "switchboard.yaml:4:6: routes.c needs a default: the target when no rule holds.",
            "switchboard.yaml:5:37: routes.d.tiers must end with a tier without below:, for the most complex prompts.",
            "switchboard.yaml:6:37: routes.e.mode 'fastest' is not one of: weighted, least-latency, least-busy, cost.",
        ], ignoreOrder: true);
    }

    [Fact]
    public void A_condition_that_does_not_parse_is_a_config_error_naming_the_rule_and_the_column()
    {
        var error = Should.Throw<ConfigException>(() => Runtime("""
            routes:
              triage:
                strategy: rules
                rules:
                  - { when: "priority == 0", target: gpt-4.1 }
                  - { when: "priorty == 1", target: gpt-4o-mini }
                default: gpt-4o-mini
            """));

        error.Problems.ShouldHaveSingleItem().ShouldBe(
            "switchboard.yaml:6:17: routes.triage.rules[1].when \"priorty == 1\": column 1: unknown name 'priorty'; did you mean 'priority'?");
    }

    [Fact]
    public void A_rules_route_sends_each_request_to_the_first_rule_that_holds_and_names_it()
    {
        using var runtime = Runtime("""
            routes:
              triage:
                strategy: rules
                rules:
                  - { when: "priority == 0", target: gpt-4.1, reason: urgent }
                  - { when: "labels contains 'documentation'", target: claude-haiku-4-5 }
                default: gpt-4o-mini
                fallbacks: [gpt-4o]
            """);

        var urgent = runtime.Router.Route("triage", new RoutingContext { Priority = 0, Labels = ["documentation"] });
        var docs = runtime.Router.Route("triage", new RoutingContext { Priority = 2, Labels = ["documentation"] });
        var other = runtime.Router.Route("triage", new RoutingContext());

        Deployments(urgent).ShouldBe(["openai/gpt-4.1", "openai/gpt-4o"]);
        urgent.Rule.ShouldBe("urgent");
        urgent.Candidates[0].Reason.ShouldBe("triage: rule 'urgent' (priority == 0)");
        Deployments(docs)[0].ShouldBe("anthropic/claude-haiku-4-5");
        docs.Rule.ShouldBe("labels contains 'documentation'");
        Deployments(other)[0].ShouldBe("openai/gpt-4o-mini");
        other.Rule.ShouldBe("default");
    }

    [Fact]
    public void A_complexity_route_picks_the_tier_the_score_falls_under_then_stronger_tiers()
    {
        using var runtime = Runtime("""
            routes:
              tiered: { strategy: complexity, tiers: [{ below: 3, model: gpt-4.1-nano }, { below: 7, model: gpt-4.1-mini }, { model: gpt-4.1 }] }
            """);
        RoutingContext Scored(double score) => new(() => new PromptAnalysis(100, score, ["because"]));

        var easy = runtime.Router.Route("tiered", Scored(1.5));
        var middle = runtime.Router.Route("tiered", Scored(5));
        var hard = runtime.Router.Route("tiered", Scored(9.2));

        Deployments(easy).ShouldBe(["openai/gpt-4.1-nano", "openai/gpt-4.1-mini", "openai/gpt-4.1"]);
        easy.Rule.ShouldBe("complexity 1.5 below 3");
        easy.Complexity.ShouldBe(1.5);
        easy.ComplexityReasons.ShouldBe(["because"]);
        Deployments(middle).ShouldBe(["openai/gpt-4.1-mini", "openai/gpt-4.1", "openai/gpt-4.1-nano"]);
        Deployments(hard)[0].ShouldBe("openai/gpt-4.1");
        hard.Rule.ShouldBe("complexity 9.2, top tier");
    }
}
