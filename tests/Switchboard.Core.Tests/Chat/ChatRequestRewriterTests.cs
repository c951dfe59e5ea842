using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Chat;
using Xunit;

namespace Switchboard.Core.Tests.Chat;

public sealed class ChatRequestRewriterTests
{
    private static string Rewrite(string json, Action<RequestBodyEdits>? edit = null, string model = "upstream-model")
    {
        var body = Encoding.UTF8.GetBytes(json);
        var envelope = ChatRequestScanner.Scan(body);
        var edits = new RequestBodyEdits(Encoding.UTF8.GetBytes($"\"{model}\""));
        edit?.Invoke(edits);
        var output = new ArrayBufferWriter<byte>();
        ChatRequestRewriter.Write(body, envelope, edits, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Only_the_model_changes_and_every_other_byte_stays()
    {
        const string original = """
            {
              "model" : "gpt-4o",
              "messages": [{"role": "user", "content": "hi", "x_vendor": {"keep": [1, 2.50, "\u00e9"]}}],
              "unknown_field": {"nested": true},   "logit_bias": {"50256": -100}
            }
            """;

        var rewritten = Rewrite(original);

        rewritten.ShouldBe(original.Replace("\"gpt-4o\"", "\"upstream-model\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("temperature")]
    [InlineData("model2")]
    [InlineData("top_p")]
    public void Removing_a_property_anywhere_leaves_valid_json_with_the_rest_intact(string removed)
    {
        const string original = """{"temperature":0.2,"model":"m","model2":1,"messages":[{"role":"user","content":"hi"}],"top_p":0.9,"extra":[1]}""";

        var rewritten = Rewrite(original, e => e.Removed.Add(removed));

        var node = JsonNode.Parse(rewritten)!.AsObject();
        node.ContainsKey(removed).ShouldBeFalse();
        node["model"]!.GetValue<string>().ShouldBe("upstream-model");
        var expected = JsonNode.Parse(original)!.AsObject();
        expected.Remove(removed);
        expected["model"] = "upstream-model";
        JsonNode.DeepEquals(node, expected).ShouldBeTrue(rewritten);
    }

    [Fact]
    public void Removing_neighbours_and_the_first_and_last_properties_still_makes_valid_json()
    {
        const string original = """{"a":1,"b":2,"model":"m","messages":[{"role":"user","content":"hi"}],"c":3,"d":4}""";

        var rewritten = Rewrite(original, e => e.Removed.AddRange(["a", "b", "c", "d"]));

        rewritten.ShouldBe("""{"model":"upstream-model","messages":[{"role":"user","content":"hi"}]}""");
    }

    [Fact]
    public void Renames_keep_the_value_and_additions_never_override_the_client()
    {
        const string original = """{"model":"o3","max_tokens":50,"seed":7,"messages":[{"role":"user","content":"hi"}]}""";

        var rewritten = Rewrite(original, e =>
        {
            e.Renamed.Add(("max_tokens", "max_completion_tokens"));
            e.Added.Add(("seed", "1"u8.ToArray()));
            e.Added.Add(("reasoning_effort", "\"low\""u8.ToArray()));
        });

        var node = JsonNode.Parse(rewritten)!.AsObject();
        node["max_completion_tokens"]!.GetValue<int>().ShouldBe(50);
        node.ContainsKey("max_tokens").ShouldBeFalse();
        node["seed"]!.GetValue<int>().ShouldBe(7);
        node["reasoning_effort"]!.GetValue<string>().ShouldBe("low");
    }

    [Fact]
    public void A_random_mix_of_edits_always_gives_the_expected_object()
    {
        var random = new Random(20261121);
        for (var run = 0; run < 300; run++)
        {
            var names = Enumerable.Range(0, random.Next(0, 8)).Select(i => "p" + i).ToList();
            var original = new JsonObject();
            var position = random.Next(names.Count + 1);
            names.Insert(position, "model");
            names.Insert(random.Next(names.Count + 1), "messages");
            foreach (var name in names)
            {
                original[name] = name switch
                {
                    "model" => "m",
                    "messages" => JsonNode.Parse("""[{"role":"user","content":"hi"}]"""),
                    _ => random.Next(3) switch { 0 => random.Next(), 1 => JsonNode.Parse("""{"x":[1,{"y":null}]}"""), _ => "s" + random.Next() },
                };
            }
            var removed = names.Where(n => n.StartsWith('p') && random.Next(2) == 0).ToList();

            var rewritten = Rewrite(original.ToJsonString(), e => e.Removed.AddRange(removed));

            var expected = (JsonObject)original.DeepClone();
            foreach (var name in removed) expected.Remove(name);
            expected["model"] = "upstream-model";
            JsonNode.DeepEquals(JsonNode.Parse(rewritten), expected).ShouldBeTrue($"{original.ToJsonString()} minus {string.Join(",", removed)} gave {rewritten}");
        }
    }
}
