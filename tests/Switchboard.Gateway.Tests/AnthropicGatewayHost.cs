using System.Net.Http.Headers;
using System.Text;
using Switchboard.Testing;

namespace Switchboard.Gateway.Tests;

/// <summary>
/// The real gateway with two fake upstreams behind it: Anthropic (<see cref="Anthropic"/>, the <c>anthropic</c>
/// provider's base URL and key) and OpenAI (<see cref="OpenAI"/>, as in <see cref="GatewayHost"/>).
/// </summary>
internal sealed class AnthropicGatewayHost : IAsyncDisposable
{
    public const string AnthropicKey = "sk-ant-test-bbbbbbbb";

    private AnthropicGatewayHost(FakeAnthropicUpstream anthropic, GatewayHost gateway)
    {
        Anthropic = anthropic;
        Gateway = gateway;
    }

    public FakeAnthropicUpstream Anthropic { get; }

    public GatewayHost Gateway { get; }

    public FakeOpenAIUpstream OpenAI => Gateway.Fake;

    public HttpClient Http => Gateway.Http;

    public static async Task<AnthropicGatewayHost> StartAsync(string yaml = "", Action<Dictionary<string, string?>>? environment = null)
    {
        var anthropic = await FakeAnthropicUpstream.StartAsync();
        try
        {
            var gateway = await GatewayHost.StartAsync(yaml, env =>
            {
                env["ANTHROPIC_API_KEY"] = AnthropicKey;
                env["ANTHROPIC_BASE_URL"] = anthropic.BaseUrl.ToString();
                environment?.Invoke(env);
            });
            return new AnthropicGatewayHost(anthropic, gateway);
        }
        catch
        {
            await anthropic.DisposeAsync();
            throw;
        }
    }

    /// <summary>Posts raw JSON to the gateway's Anthropic endpoint, <c>/v1/messages</c>.</summary>
    public async Task<HttpResponseMessage> PostMessagesAsync(string body, string path = "v1/messages", HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add("anthropic-version", "2023-06-01");
        return await Http.SendAsync(request, completion);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Anthropic.DisposeAsync();
    }
}
