using System.Text;

namespace Switchboard.Benchmarks;

/// <summary>
/// The bytes the benchmarks push through the hot path, shaped after OpenAI's API reference ("Create chat
/// completion", "The chat completion chunk object"): what an SDK really sends and what OpenAI really answers.
/// </summary>
internal static class Payloads
{
    public const string Model = "gpt-4o-mini";

    /// <summary>
    /// A ~1 KB chat request as an SDK sends it: a system message, two user turns around an assistant turn,
    /// one function tool, and the sampling parameters a typical app sets.
    /// </summary>
    public static byte[] ChatRequest(bool stream = false, string model = Model) => Encoding.UTF8.GetBytes(
        "{\"model\":\"" + model + "\",\"messages\":[" +
        "{\"role\":\"system\",\"content\":\"You are the assistant of an online bookshop. Answer in at most two sentences, quote prices in euros, and call lookup_title whenever the customer names a book you have not seen in this conversation.\"}," +
        "{\"role\":\"user\",\"content\":\"Do you have The Left Hand of Darkness in paperback?\"}," +
        "{\"role\":\"assistant\",\"content\":\"Yes: the 2019 Gollancz paperback is in stock at 11.99 EUR and ships within two working days.\"}," +
        "{\"role\":\"user\",\"content\":\"Great. Is A Wizard of Earthsea available too, ideally the illustrated edition?\"}]," +
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup_title\",\"description\":\"Looks a book up in the shop's stock by title and returns editions, prices and availability.\"," +
        "\"parameters\":{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\",\"description\":\"The title as the customer wrote it\"}," +
        "\"edition\":{\"type\":\"string\",\"enum\":[\"paperback\",\"hardcover\",\"illustrated\",\"ebook\"]}},\"required\":[\"title\"],\"additionalProperties\":false}}}]," +
        "\"tool_choice\":\"auto\",\"temperature\":0.3,\"max_tokens\":400,\"user\":\"customer-4821\"" +
        (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") +
        "}");

    /// <summary>
    /// An agent's long conversation: a system message and <paramref name="turns"/> user/assistant pairs
    /// (51 messages for 25 turns, about 2.5 KB), to show what the scan costs per message.
    /// </summary>
    public static byte[] LongConversation(int turns = 25)
    {
        var json = new StringBuilder("{\"model\":\"" + Model + "\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a careful coding agent.\"}");
        for (var i = 0; i < turns; i++)
        {
            json.Append(",{\"role\":\"user\",\"content\":\"Step ").Append(i).Append(": what next?\"}");
            json.Append(",{\"role\":\"assistant\",\"content\":\"Step ").Append(i).Append(" done.\"}");
        }
        return Encoding.UTF8.GetBytes(json.Append("],\"temperature\":0.2}").ToString());
    }

    /// <summary>A whole, non-streamed <c>chat.completion</c> of about 1 KB, usage (with its details) after the choices as OpenAI sends it.</summary>
    public static byte[] ChatCompletion() => Encoding.UTF8.GetBytes(
        "{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion\",\"created\":1741569952,\"model\":\"gpt-4o-mini-2024-07-18\"," +
        "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" +
        "Yes, A Wizard of Earthsea is in stock in the illustrated Folio-style edition with Charles Vess's artwork, at 32.50 EUR, " +
        "and it ships within three working days because it comes from our second warehouse. The standard paperback is also " +
        "available at 9.99 EUR for next-day dispatch. If you would like both Earthsea and The Left Hand of Darkness, I can put " +
        "them in one parcel so you pay a single shipping fee; the combined order would arrive in three to four working days. " +
        "Shall I add the illustrated edition to your basket?\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}]," +
        "\"usage\":{\"prompt_tokens\":231,\"completion_tokens\":97,\"total_tokens\":328," +
        "\"prompt_tokens_details\":{\"cached_tokens\":128,\"audio_tokens\":0}," +
        "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}," +
        "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\"}");

    public const int StreamChunks = 20;

    /// <summary>
    /// A streamed answer as OpenAI sends it with <c>stream_options.include_usage</c>: a role chunk, content deltas,
    /// a finish chunk, a usage chunk with no choices (every other chunk carries <c>"usage":null</c>), and
    /// <c>data: [DONE]</c>. Returns each event on its own, in order, so callers can send or read them as they like.
    /// </summary>
    public static List<byte[]> ChatCompletionStreamEvents()
    {
        const string head = "{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\",\"choices\":[";
        string[] words =
        [
            "Yes", ",", " A", " Wizard", " of", " Earthsea", " is", " in", " stock", " in", " the", " illustrated", " edition", " at", " 32.50", " EUR", ".",
        ];
        var events = new List<string>
        {
            head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
        };
        foreach (var word in words)
            events.Add(head + "{\"index\":0,\"delta\":{\"content\":\"" + word + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}");
        events.Add(head + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}");
        events.Add(head + "],\"usage\":{\"prompt_tokens\":231,\"completion_tokens\":17,\"total_tokens\":248," +
            "\"prompt_tokens_details\":{\"cached_tokens\":128,\"audio_tokens\":0}," +
            "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}");
        if (events.Count != StreamChunks) throw new InvalidOperationException($"expected {StreamChunks} chunks, built {events.Count}");

        var result = events.Select(e => Encoding.UTF8.GetBytes("data: " + e + "\n\n")).ToList();
        result.Add("data: [DONE]\n\n"u8.ToArray());
        return result;
    }

    public static byte[] Concat(IEnumerable<byte[]> parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>The environment the benchmarks' runtimes see: fake OpenAI, Anthropic and Gemini keys, and optionally where OpenAI lives.</summary>
    public static Func<string, string?> Environment(string? openAIBaseUrl = null) => name => name switch
    {
        "OPENAI_API_KEY" => "sk-bench-0000000000000000000000000000000000000000",
        "ANTHROPIC_API_KEY" => "sk-ant-bench-000000000000000000000000000000000000",
        "GEMINI_API_KEY" => "AIza-bench-0000000000000000000000000000000",
        "OPENAI_BASE_URL" => openAIBaseUrl,
        _ => null,
    };
}
