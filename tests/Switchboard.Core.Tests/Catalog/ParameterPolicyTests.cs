using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Providers.OpenAI;
using Xunit;

namespace Switchboard.Core.Tests.Catalog;

public sealed class ParameterPolicyTests
{
    private static readonly Dictionary<string, string?> Keys = new() { ["OPENAI_API_KEY"] = "sk-test" };

    private static (JsonObject Sent, string? Dropped) Prepare(string yaml, string model)
    {
        using var runtime = TestRuntime.Create(yaml, Keys);
        var body = Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","reasoning_effort":"low","messages":[{"role":"user","content":"hi"}]}""");
        var output = new ArrayBufferWriter<byte>();
        var prepared = runtime.Prepare(OpenAIClientDialect.Instance, body, output);
        return (JsonNode.Parse(output.WrittenSpan)!.AsObject(), prepared.DroppedParameters);
    }

    [Fact]
    public void A_reasoning_effort_is_dropped_for_a_model_that_does_not_reason_and_kept_for_one_that_does()
    {
        var (toGpt4o, dropped) = Prepare("", "gpt-4o");
        toGpt4o.ContainsKey("reasoning_effort").ShouldBeFalse();
        dropped.ShouldBe("reasoning_effort");

        var (toO3, none) = Prepare("", "o3");
        toO3["reasoning_effort"]!.GetValue<string>().ShouldBe("low");
        none.ShouldBeNull();
    }

    [Fact]
    public void With_drop_unsupported_off_a_reasoning_effort_for_a_model_that_does_not_reason_is_refused()
    {
        var error = Should.Throw<SwitchboardException>(() => Prepare("drop_unsupported: false", "gpt-4o"));

        error.StatusCode.ShouldBe(400);
        error.Param.ShouldBe("reasoning_effort");
    }
}
