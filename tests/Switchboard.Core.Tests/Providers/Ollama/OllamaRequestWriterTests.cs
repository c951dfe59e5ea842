using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Ollama;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Ollama;

/// <summary>Canonical requests written as <c>/api/chat</c> bodies, compared with the shapes of Ollama's API reference.</summary>
public sealed class OllamaRequestWriterTests
{
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAG0AAABmCAYAAADBPx+VAAAACXBIWXMAAAsTAAALEwEAmpwYAAAAAXNSR0IArs4c6QAAAARnQU1BAACxjwv8YQUAAA3VSURBVHgB7Z27r0zdG8fX743i1bi1ikMoFMQloXRpKFFIqI7LH4BEQ+NWIkjQuSWCRIEoULk0gsK1kCBI0IhrQVT7tz/7zZo888yz1r7MnDl7z5xvsjkzs2fP3uu71nNfa7lkAsm7d++Sffv2JbNmzUqcc8m0adOSzZs3Z+/XES4ZckAWJEGWPiCxjsQNLWmQsWjRIpMseaxcuTKpG/7HP27I8P79e7dq1ars/yL4/v27S0ejqwv+cUOGEGGpKHR37tzJCEpHV9tnT58+dXXCJDdECBE2Ojrqjh071hpNECjx4cMHVycM1Uhbv359B2F79+51586daxN/+pyRkRFXKyRDAqxEp4yMlDDzXG1NPnnyJKkThoK0VFd1ELZu3TrzXKxKfW7dMBQ6bcuWLW2v0VlHjx41z717927ba22U9APcw7Nnz1oGEPeL3m3p2mTAYYnFmMOMXybPPXv2bNIPpFZr1NHn4HMw0KRBjg9NuRw95s8PEcz/6DZELQd/09C9QGq5RsmSRybqkwHGjh07OsJSsYYm3ijPpyHzoiacg35MLdDSIS/O1yM778jOTwYUkKNHWUzUWaOsylE00MyI0fcnOwIdjvtNdW/HZwNLGg+sR1kMepSNJXmIwxBZiG8tDTpEZzKg0GItNsosY8USkxDhD0Rinuiko2gfL/RbiD2LZAjU9zKQJj8RDR0vJBR1/Phx9+PHj9Z7REF4nTZkxzX4LCXHrV271qXkBAPGfP/atWvu/PnzHe4C97F48eIsRLZ9+3a3f/9+87dwP1JxaF7/3r17ba+5l4EcaVo0lj3SBq5kGTJSQmLWMjgYNei2GPT1MuMqGTDEFHzeQSP2wi/jGnkmPJ/nhccs44jvDAxpVcxnq0F6eT8h4ni/iIWpR5lPyA6ETkNXoSukvpJAD3AsXLiwpZs49+fPn5ke4j10TqYvegSfn0OnafC+Tv9ooA/JPkgQysqQNBzagXY55nO/oa1F7qvIPWkRL12WRpMWUvpVDYmxAPehxWSe8ZEXL20sadYIozfmNch4QJPAfeJgW3rNsnzphBKNJM2KKODo1rVOMRYik5ETy3ix4qWNI81qAAirizgMIc+yhTytx0JWZuNI03qsrgWlGtwjoS9XwgUhWGyhUaRZZQNNIEwCiXD16tXcAHUs79co0vSD8rrJCIW98pzvxpAWyyo3HYwqS0+H0BjStClcZJT5coMm6D2LOF8TolGJtK9fvyZpyiC5ePFi9nc/oJU4eiEP0jVoAnHa9wyJycITMP78+eMeP37sXrx44d6+fdt6f82aNdkx1pg9e3Zb5W+RSRE+n+VjksQWifvVaTKFhn5O8my63K8Qabdv33b379/PiAP//vuvW7BggZszZ072/+TJk91YgkafPn166zXB1rQHFvouAWHq9z3SEevSUerqCn2/dDCeta2jxYbr69evk4MHDyY7d+7MjhMnTiTPnz9Pfv/+nfQT2ggpO2dMF8cghuoM7Ygj5iWCqRlGFml0QC/ftGmTmzt3rmsaKDsgBSPh0/8yPeLLBihLkOKJc0jp8H8vUzcxIA1k6QJ/c78tWEyj5P3o4u9+jywNPdJi5rAH9x0KHcl4Hg570eQp3+vHXGyrmEeigzQsQsjavXt38ujRo44LQuDDhw+TW7duRS1HGgMxhNXHgflaNTOsHyKvHK5Ijo2jbFjJBQK9YwFd6RVMzfgRBmEfP37suBBm/p49e1qjEP2mwTViNRo0VJWH1deMXcNK08uUjVUu7s/zRaL+oLNxz1bpANco4npUgX4G2eFbpDFyQoQxojBCpEGSytmOH8qrH5Q9vuzD6ofQylkCUmh8DBAr+q8JCyVNtWQIidKQE9wNtLSQnS4jDSsxNHogzFuQBw4cyM61UKVsjfr3ooBkPSqqQHesUPWVtzi9/vQi1T+rJj7WiTz4Pt/l3LxUkr5P2VYZaZ4URpsE+st/dujQoaBBYokbrz/8TJNQYLSonrPS9kUaSkPeZyj1AWSj+d+VBoy1pIWVNed8P0Ll/ee5HdGRhrHhR5GGN0r4LGZBaj8oFDJitBTJzIZgFcmU0Y8ytWMZMzJOaXUSrUs5RxKnrxmbb5YXO9VGUhtpXldhEUogFr3IzIsvlpmdosVcGVGXFWp2oU9kLFL3dEkSz6NHEY1sjSRdIuDFWEhd8KxFqsRi1uM/nz9/zpxnwlESONdg6dKlbsaMGS4EHFHtjFIDHwKOo46l4TxSuxgDzi+rE2jg+BaFruOX4HXa0Nnf1lwAPufZeF8/r6zD97WK2qFnGjBxTw5qNGPxT+5T/r7/7RawFC3j4vTp09koCxkeHjqbHJqArmH5UrFKKksnxrK7FuRIs8STfBZv+luugXZ2pR/pP9Ois4z+TiMzUUkUjD0iEi1fzX8GmXyuxUBRcaUfykV0YZnlJGKQpOiGB76x5GeWkWWJc3mOrK6S7xdND+W5N6XyaRgtWJFe13GkaZnKOsYqGdOVVVbGupsyA/l7emTLHi7vwTdirNEt0qxnzAvBFcnQF16xh/TMpUuXHDowhlA9vQVraQhkudRdzOnK+04ZSP3DUhVSP61YsaLtd/ks7ZgtPcXqPqEafHkdqa84X6aCeL7YWlv6edGFHb+ZFICPlljHhg0bKuk0CSvVznWsotRu433alNdFrqG45ejoaPCaUkWERpLXjzFL2Rpllp7PJU2a/v7Ab8N05/9t27Z16KUqoFGsxnI9EosS2niSYg9SpU6B4JgTrvVW1flt1sT+0ADIJU2maXzcUTraGCRaL1Wp9rUMk16PMom8QhruxzvZIegJjFU7LLCePfS8uaQdPny4jTTL0dbee5mYokQsXTIWNY46kuMbnt8Kmec+LGWtOVIl9cT1rCB0V8WqkjAsRwta93TbwNYoGKsUSChN44lgBNCoHLHzquYKrU6qZ8lolCIN0Rh6cP0Q3U6I6IXILYOQI513hJaSKAorFpuHXJNfVlpRtmYBk1Su1obZr5dnKAO+L10Hrj3WZW+E3qh6IszE37F6EB+68mGpvKm4eb9bFrlzrok7fvr0Kfv727dvWRmdVTJHw0qiiCUSZ6wCK+7XL/AcsgNyL74DQQ730sv78Su7+t/A36MdY0sW5o40ahslXr58aZ5HtZB8GH64m9EmMZ7FpYw4T6QnrZfgenrhFxaSiSGXtPnz57e9TkNZLvTjeqhr734CNtrK41L40sUQckmj1lGKQ0rC37x544r8eNXRpnVE3ZZY7zXo8NomiO0ZUCj2uHz58rbXoZ6gc0uA+F6ZeKS/jhRDUq8MKrTho9fEkihMmhxtBI1DxKFY9XLpVcSkfoi8JGnToZO5sU5aiDQIW716ddt7ZLYtMQlhECdBGXZZMWldY5BHm5xgAroWj4C0hbYkSc/jBmggIrXJWlZM6pSETsEPGqZOndr2uuuR5rF169a2HoHPdurUKZM4CO1WTPqaDaAd+GFGKdIQkxAn9RuEWcTRyN2KSUgiSgF5aWzPTeA/lN5rZubMmR2bE4SIC4nJoltgAV/dVefZm72AtctUCJU2CMJ327hxY9t7EHbkyJFseq+EJSY16RPo3Dkq1kkr7+q0bNmyDuLQcZBEPYmHVdOBiJyIlrRDq41YPWfXOxUysi5fvtyaj+2BpcnsUV/oSoEMOk2CQGlr4ckhBwaetBhjCwH0ZHtJROPJkyc7UjcYLDjmrH7ADTEBXFfOYmB0k9oYBOjJ8b4aOYSe7QkKcYhFlq3QYLQhSidNmtS2RATwy8YOM3EQJsUjKiaWZ+vZToUQgzhkHXudb/PW5YMHD9yZM2faPsMwoc7RciYJXbGuBqJ1UIGKKLv915jsvgtJxCZDubdXr165mzdvtr1Hz5LONA8jrUwKPqsmVesKa49S3Q4WxmRPUEYdTjgiUcfUwLx589ySJUva3oMkP6IYddq6HMS4o55xBJBUeRjzfa4Zdeg56QZ43LhxoyPo7Lf1kNt7oO8wWAbNwaYjIv5lhyS7kRf96dvm5Jah8vfvX3flyhX35cuX6HfzFHOToS1H4BenCaHvO8pr8iDuwoUL7tevX+b5ZdbBair0xkFIlFDlW4ZknEClsp/TzXyAKVOmmHWFVSbDNw1l1+4f90U6IY/q4V27dpnE9bJ+v87QEydjqx/UamVVPRG+mwkNTYN+9tjkwzEx+atCm/X9WvWtDtAb68Wy9LXa1UmvCDDIpPkyOQ5ZwSzJ4jMrvFcr0rSjOUh+GcT4LSg5ugkW1Io0/SCDQBojh0hPlaJdah+tkVYrnTZowP8iq1F1TgMBBauufyB33x1v+NWFYmT5KmppgHC+NkAgbmRkpD3yn9QIseXymoTQFGQmIOKTxiZIWpvAatenVqRVXf2nTrAWMsPnKrMZHz6bJq5jvce6QK8J1cQNgKxlJapMPdZSR64/UivS9NztpkVEdKcrs5alhhWP9NeqlfWopzhZScI6QxseegZRGeg5a8C3Re1Mfl1ScP36ddcUaMuv24iOJtz7sbUjTS4qBvKmstYJoUauiuD3k5qhyr7QdUHMeCgLa1Ear9NquemdXgmum4fvJ6w1lqsuDhNrg1qSpleJK7K3TF0Q2jSd94uSZ60kK1e3qyVpQK6PVWXp2/FC3mp6jBhKKOiY2h3gtUV64TWM6wDETRPLDfSakXmH3w8g9Jlug8ZtTt4kVF0kLUYYmCCtD/DrQ5YhMGbA9L3ucdjh0y8kOHW5gU/VEEmJTcL4Pz/f7mgoAbYkAAAAAElFTkSuQmCC";

    [Fact]
    public void Messages_options_and_stream_are_written_as_ollama_takes_them()
    {
        var body = Write("""
            {"model":"local/llama3.2","messages":[
              {"role":"developer","content":"Be brief."},
              {"role":"user","content":"why is the sky blue?"},
              {"role":"assistant","content":"due to rayleigh scattering."},
              {"role":"user","content":"how is that different than mie scattering?"}],
             "temperature":0.8,"top_p":0.9,"max_tokens":100,"stop":["\n","user:"],"seed":42,"frequency_penalty":1.0,"presence_penalty":1.5}
            """, stream: true);

        body.ToJsonString().ShouldBe(Json("""
            {"model":"llama3.2","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"why is the sky blue?"},
              {"role":"assistant","content":"due to rayleigh scattering."},
              {"role":"user","content":"how is that different than mie scattering?"}],
             "options":{"temperature":0.8,"top_p":0.9,"num_predict":100,"stop":["\n","user:"],"seed":42,"frequency_penalty":1,"presence_penalty":1.5},
             "stream":true}
            """));
    }

    [Fact]
    public void A_plain_request_has_no_options_and_says_it_does_not_stream()
    {
        Write("""{"model":"m","messages":[{"role":"user","content":"Hello!"}]}""", stream: false)
            .ToJsonString().ShouldBe(Json("""{"model":"llama3.2","messages":[{"role":"user","content":"Hello!"}],"stream":false}"""));
    }

    [Fact]
    public void Max_completion_tokens_wins_over_max_tokens()
    {
        Write("""{"model":"m","messages":[],"max_tokens":10,"max_completion_tokens":20}""")["options"]!["num_predict"]!.GetValue<int>().ShouldBe(20);
    }

    [Fact]
    public void Image_parts_become_the_messages_base64_images()
    {
        var body = Write($$$"""
            {"model":"m","messages":[{"role":"user","content":[
              {"type":"text","text":"what is in this image?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,{{{Png}}}"}},
              {"type":"text","text":"and this one?"},
              {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ","detail":"low"}}]}]}
            """);

        var message = body["messages"]![0]!;
        message["content"]!.GetValue<string>().ShouldBe("what is in this image?\nand this one?");
        message["images"]!.AsArray().Select(i => i!.GetValue<string>()).ShouldBe([Png, "/9j/4AAQ"]);
    }

    [Fact]
    public void An_image_link_is_refused_with_the_fix()
    {
        var error = Should.Throw<SwitchboardException>(() => Write("""
            {"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}
            """));

        error.Category.ShouldBe(ErrorCategory.BadRequest);
        error.StatusCode.ShouldBe(400);
        error.Message.ShouldContain("messages[0].content[0].image_url is a link");
        error.Message.ShouldContain("data:image/png;base64,");
    }

    [Fact]
    public void Tool_calls_and_results_are_written_as_in_the_with_history_with_tools_example()
    {
        var body = Write("""
            {"model":"m","messages":[
              {"role":"user","content":"what is the weather in Toronto?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Toronto\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"11 degrees celsius"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Get the weather in a given city",
               "parameters":{"type":"object","properties":{"city":{"type":"string","description":"The city to get the weather for"}},"required":["city"]}}}]}
            """, stream: false);

        body.ToJsonString().ShouldBe(Json("""
            {"model":"llama3.2","messages":[
              {"role":"user","content":"what is the weather in Toronto?"},
              {"role":"assistant","content":"","tool_calls":[{"id":"call_1","function":{"name":"get_weather","arguments":{"city":"Toronto"}}}]},
              {"role":"tool","content":"11 degrees celsius","tool_name":"get_weather","tool_call_id":"call_1"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Get the weather in a given city",
               "parameters":{"type":"object","properties":{"city":{"type":"string","description":"The city to get the weather for"}},"required":["city"]}}}],
             "stream":false}
            """));
    }

    [Fact]
    public void Tool_choice_none_sends_no_tools_and_a_named_one_sends_only_it()
    {
        const string tools = """[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}}]""";

        const string head = """{"model":"m","messages":[],"tools":""" + tools;

        Write(head + ""","tool_choice":"none"}""").ContainsKey("tools").ShouldBeFalse();
        Write(head + ""","tool_choice":{"type":"function","function":{"name":"b"}}}""")["tools"]!.AsArray()
            .Select(t => t!["function"]!["name"]!.GetValue<string>()).ShouldBe(["b"]);
    }

    [Fact]
    public void Arguments_that_are_not_a_json_object_are_refused()
    {
        var error = Should.Throw<SwitchboardException>(() => Write("""
            {"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"[1,"}}]}]}
            """));

        error.Message.ShouldContain("messages[0].tool_calls[0].function.arguments must be a JSON object");
    }

    [Fact]
    public void Json_modes_become_format()
    {
        Write("""{"model":"m","messages":[],"response_format":{"type":"json_object"}}""")["format"]!.GetValue<string>().ShouldBe("json");
        Write("""
            {"model":"m","messages":[],"response_format":{"type":"json_schema","json_schema":{"name":"person","strict":true,
              "schema":{"type":"object","properties":{"age":{"type":"integer"},"available":{"type":"boolean"}},"required":["age","available"]}}}}
            """)["format"]!.ToJsonString().ShouldBe(Json("""{"type":"object","properties":{"age":{"type":"integer"},"available":{"type":"boolean"}},"required":["age","available"]}"""));
    }

    [Theory]
    [InlineData("none", "false")]
    [InlineData("minimal", "\"low\"")]
    [InlineData("high", "\"high\"")]
    public void Reasoning_effort_becomes_think(string effort, string think)
    {
        Write($$"""{"model":"m","messages":[],"reasoning_effort":"{{effort}}"}""")["think"]!.ToJsonString().ShouldBe(think);
    }

    private static JsonObject Write(string request, bool stream = false)
    {
        var canonical = JsonSerializer.Deserialize(request, ChatJsonContext.Default.ChatRequest)!;
        var output = new ArrayBufferWriter<byte>();
        OllamaAdapter.Instance.WriteRequest(canonical, "llama3.2", stream, output);
        return JsonNode.Parse(Encoding.UTF8.GetString(output.WrittenSpan))!.AsObject();
    }

    /// <summary>JSON as written compactly, so expected and actual bodies compare as text.</summary>
    private static string Json(string json) => JsonNode.Parse(json)!.ToJsonString();
}
