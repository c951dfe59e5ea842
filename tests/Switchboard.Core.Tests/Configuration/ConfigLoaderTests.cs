using Shouldly;
using Switchboard.Configuration;
using Xunit;

namespace Switchboard.Core.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    private static readonly Dictionary<string, string?> Environment = new() { ["MY_KEY"] = "sk-from-env", ["SWITCHBOARD_MASTER_KEY"] = "master-from-env" };

    private static SwitchboardOptions Parse(string yaml) => ConfigLoader.Parse(yaml, "switchboard.yaml", n => Environment.GetValueOrDefault(n));

    private static ConfigException Fails(string yaml) => Should.Throw<ConfigException>(() => Parse(yaml));

    [Fact]
    public void No_config_at_all_is_a_working_setup()
    {
        var options = Parse("");

        options.Server.Host.ShouldBe("127.0.0.1");
        options.Server.Port.ShouldBe(4000);
        options.Providers.ShouldBeEmpty();
        options.DropUnsupported.ShouldBeTrue();
        options.Server.MasterKey!.Variable.ShouldBe("SWITCHBOARD_MASTER_KEY");
    }

    [Fact]
    public void A_full_config_is_read_as_written()
    {
        var options = Parse("""
            server: { host: 0.0.0.0, port: 8080, master_key: env:MY_KEY, max_request_body: 2MiB }
            providers:
              openai: { api_key: env:MY_KEY }
              openrouter: { api_key: [env:MY_KEY, sk-literal], headers: { X-Title: my-app, HTTP-Referer: "https://example.com" } }
              vllm: { type: openai-compatible, base_url: "http://10.0.0.5:8000/v1/" }
            models:
              - { name: deepseek/deepseek-chat, input_per_mtok: 0.14, output_per_mtok: 0.28, capabilities: [code, cheap], defaults: { temperature: 0.2, reasoning_effort: low, stop: [END] } }
            aliases: { claude4: claude-sonnet-4-20250514 }
            drop_unsupported: false
            resilience: { timeout: 1500ms }
            """);

        options.Server.Port.ShouldBe(8080);
        options.Server.MasterKey!.Resolve(n => Environment.GetValueOrDefault(n)).ShouldBe("sk-from-env");
        options.Server.MaxRequestBodyBytes.ShouldBe(2 * 1024 * 1024);
        options.Providers.Count.ShouldBe(3);
        options.Providers[1].ApiKeys.Count.ShouldBe(2);
        options.Providers[1].Headers["x-title"].Resolve(_ => null).ShouldBe("my-app");
        options.Providers[2].BaseUrl.ShouldBe("http://10.0.0.5:8000/v1");
        options.Models[0].Defaults["temperature"].ShouldBe("0.2");
        options.Models[0].Defaults["reasoning_effort"].ShouldBe("\"low\"");
        options.Models[0].Defaults["stop"].ShouldBe("[\"END\"]");
        options.Aliases["claude4"].ShouldBe("claude-sonnet-4-20250514");
        options.DropUnsupported.ShouldBeFalse();
        options.Resilience.Timeout.ShouldBe(TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public void An_unknown_key_names_file_line_key_and_the_nearest_allowed_one()
    {
        var error = Fails("""
            server:
              port: 4000
            provders:
              openai: {}
            """);

        error.Problems.ShouldHaveSingleItem().ShouldStartWith("switchboard.yaml:3:1: unknown key 'provders' at the top level (did you mean 'providers'?)");
    }

    [Fact]
    public void Budgets_are_read_per_provider_and_model_with_month_as_the_default_period()
    {
        var options = Parse("budgets:\n  providers: { openai: { usd: 50, period: day } }\n  models: { gpt-4.1: { usd: 10.5 } }\n");

        options.Budgets.Providers["OpenAI"].ShouldBe(new BudgetOptions { Usd = 50, Period = "day" });
        options.Budgets.Models["gpt-4.1"].ShouldBe(new BudgetOptions { Usd = 10.5m, Period = "month" });
    }

    [Fact]
    public void An_unknown_budget_key_names_its_line_and_path()
    {
        var error = Fails("budgets:\n  providers:\n    openai: { usd: 5, perod: day }\n");

        error.Problems.ShouldHaveSingleItem().ShouldStartWith("switchboard.yaml:3:");
        error.Problems[0].ShouldContain("unknown key 'perod' in budgets.providers.openai (did you mean 'period'?)");
    }

    [Fact]
    public void Nested_unknown_keys_name_their_path()
    {
        var error = Fails("""
            providers:
              openai:
                api_kee: env:MY_KEY
            """);

        error.Message.ShouldContain("switchboard.yaml:3:5: unknown key 'api_kee' in providers.openai (did you mean 'api_key'?)");
    }

    [Theory]
    [InlineData("server: { port: abc }", "switchboard.yaml:1:17: server.port must be a whole number from 0 to 65535, not 'abc'.")]
    [InlineData("server: { port: 70000 }", "server.port must be a whole number from 0 to 65535, not '70000'.")]
    [InlineData("server: [1, 2]", "server must be a mapping")]
    [InlineData("server: { max_request_body: lots }", "server.max_request_body must be a size such as")]
    [InlineData("resilience: { timeout: forever }", "resilience.timeout must be a duration such as 500ms, 10s, 2m or 1h")]
    [InlineData("resilience: { retries: 11 }", "resilience.retries must be a whole number from 0 to 10, not '11'.")]
    [InlineData("resilience: { circuit_breaker: { failure_ratio: 2 } }", "resilience.circuit_breaker.failure_ratio is a share of calls, more than 0 and at most 1")]
    [InlineData("resilience: { probe_interval: 0s }", "resilience.probe_interval must be longer than 0")]
    [InlineData("telemetry: { otlp_endpoint: collector:4318 }", "telemetry.otlp_endpoint must be an OTLP/HTTP collector's http:// or https:// URL")]
    [InlineData("telemetry: { endpoint: x }", "unknown key 'endpoint' in telemetry")]
    [InlineData("drop_unsupported: maybe", "drop_unsupported must be true or false")]
    [InlineData("models: { name: x }", "models must be a list")]
    [InlineData("models: [ { input_per_mtok: 1 } ]", "models[0] needs a name")]
    [InlineData("models: [ { name: x/y, input_per_mtok: -1 } ]", "models[0].input_per_mtok must be a number of at least 0")]
    [InlineData("providers: { myserver: { base_url: 'http://x' } }", "providers.myserver is not a provider Switchboard knows, so it needs a type")]
    [InlineData("providers: { x: { type: sqlite } }", "providers.x.type 'sqlite' is not one of")]
    [InlineData("providers: { openai: { base_url: 'ftp://x' } }", "providers.openai.base_url must be an http:// or https:// URL")]
    [InlineData("providers: { openai: sk-123 }", "providers.openai must be a mapping")]
    [InlineData("aliases: { a: [b] }", "aliases.a must name one model")]
    [InlineData("server: {port: 1\n  host: x", "this is not valid YAML")]
    [InlineData("- just\n- a list", "the file must be a mapping of sections")]
    [InlineData("budgets: { providers: { openai: { usd: -1 } } }", "budgets.providers.openai.usd must be a number of at least 0")]
    [InlineData("budgets: { models: { gpt-4.1: { usd: 5, period: year } } }", "budgets.models.gpt-4.1.period must be one of day, week, month, total, not 'year'")]
    [InlineData("budgets: { models: { gpt-4.1: { period: day } } }", "budgets.models.gpt-4.1 needs usd")]
    [InlineData("budgets: { providers: { openai: 50 } }", "budgets.providers.openai must be a mapping such as { usd: 50, period: day }")]
    public void Wrong_values_name_the_key_and_what_is_allowed(string yaml, string message)
    {
        Fails(yaml).Message.ShouldContain(message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var error = Fails("""
            sever: {}
            server: { port: x }
            models: [ { name: a/b, colour: red } ]
            """);

        error.Problems.Count.ShouldBe(3);
    }

    [Fact]
    public void An_openai_compatible_provider_without_base_url_is_refused_when_the_runtime_starts()
    {
        var options = Parse("providers: { vllm: { type: openai-compatible } }");

        Should.Throw<ConfigException>(() => new SwitchboardRuntime(options, environment: _ => null)).Message.ShouldContain("needs a base_url");
    }

    [Fact]
    public void A_missing_file_says_which_path()
    {
        Should.Throw<ConfigException>(() => ConfigLoader.Load("/nonexistent/switchboard.yaml")).Message.ShouldContain("/nonexistent/switchboard.yaml: no such file");
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5", 1_500)]
    public void Durations_read_with_their_units(string text, int milliseconds) =>
        ConfigValues.ParseDuration(text).ShouldBe(TimeSpan.FromMilliseconds(milliseconds));

    [Theory]
    [InlineData("10MB", 10_000_000)]
    [InlineData("10MiB", 10_485_760)]
    [InlineData("512KB", 512_000)]
    [InlineData("1024", 1024)]
    public void Sizes_read_with_their_units(string text, long bytes) => ConfigValues.ParseSize(text).ShouldBe(bytes);

    [Fact]
    public void Secrets_never_print_their_value()
    {
        SecretReference.Parse("sk-literal-secret").ToString().ShouldBe("(inline)");
        SecretReference.Parse("env:MY_KEY").ToString().ShouldBe("env:MY_KEY");
    }

    [Fact]
    public void A_workflow_stage_is_a_model_or_a_model_with_a_prompt()
    {
        var options = Parse("""
            workflows:
              standard:
                plan: { model: claude-haiku-4-5, prompt: "Write a step-by-step plan." }
                implement: claude-sonnet-4-5
            """);

        var workflow = options.Workflows["standard"];
        workflow.Stages.ShouldBe([new("plan", "claude-haiku-4-5"), new("implement", "claude-sonnet-4-5")]);
        workflow.Prompts.ShouldBe(new Dictionary<string, string> { ["plan"] = "Write a step-by-step plan." });
    }

    [Fact]
    public void A_long_form_stage_without_a_model_or_with_an_unknown_key_is_named_with_its_line()
    {
        var error = Fails("""
            workflows:
              standard:
                plan: { prompt: "Plan it." }
                implement: { model: gpt-4.1, promt: "Do it." }
                review: [gpt-4.1]
            """);

        error.Problems.Count.ShouldBe(3);
        error.Problems[0].ShouldStartWith("switchboard.yaml:3:5: workflows.standard.plan needs a model");
        error.Problems[1].ShouldStartWith("switchboard.yaml:4:34: unknown key 'promt' in workflows.standard.implement (did you mean 'prompt'?)");
        error.Problems[2].ShouldStartWith("switchboard.yaml:5:5: workflows.standard.review must name one model or route, or be { model: ..., prompt: ... }");
    }
}
