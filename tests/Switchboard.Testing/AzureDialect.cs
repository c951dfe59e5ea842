using System.Text;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Testing;

/// <summary>
/// Azure OpenAI's data plane: OpenAI's chat completions wire format (answered by <see cref="OpenAIDialect"/>) behind Azure's
/// addressing, <c>POST /openai/deployments/{deployment}/chat/completions?api-version=...</c> and the versionless
/// <c>POST /openai/v1/chat/completions</c>, with the key in <c>api-key</c> and Azure's own error bodies.
/// </summary>
internal sealed class AzureDialect : IUpstreamDialect
{
    private const string JsonContentType = "application/json";
    private const string DeploymentsPrefix = "/openai/deployments/";
    private const string ChatSuffix = "/chat/completions";

    private readonly OpenAIDialect _openAI = new();

    public ReadOnlyMemory<byte> InvalidJsonBody => _openAI.InvalidJsonBody;

    public ReadOnlyMemory<byte> InvalidStreamChunk => _openAI.InvalidStreamChunk;

    public UpstreamResponse Respond(RecordedRequest request)
    {
        var path = request.Path;
        var v1 = path == "/openai/v1/chat/completions";
        var deployment = !v1 && path.StartsWith(DeploymentsPrefix, StringComparison.Ordinal) && path.EndsWith(ChatSuffix, StringComparison.Ordinal)
            ? Uri.UnescapeDataString(path[DeploymentsPrefix.Length..^ChatSuffix.Length])
            : null;
        if (request.Method != "POST" || (!v1 && deployment is null) || (!v1 && !request.Query.Contains("api-version=", StringComparison.Ordinal)))
            return Error(StatusCodes.Status404NotFound, AzurePayloads.ResourceNotFound);
        if (!request.Headers.TryGetValue("api-key", out var key) || key.Length == 0)
            return Error(StatusCodes.Status401Unauthorized, AzurePayloads.AccessDenied);
        if (deployment is not null && !FakeAzureUpstream.Deployments.Contains(deployment))
            return Error(StatusCodes.Status404NotFound, AzurePayloads.DeploymentNotFound);
        return _openAI.Respond(request with { Path = "/v1/chat/completions" });
    }

    public ReadOnlyMemory<byte> ErrorBody(UpstreamFault fault, RecordedRequest request) => fault.StatusCode switch
    {
        401 when fault.Kind == UpstreamFaultKind.Status => Encoding.UTF8.GetBytes(AzurePayloads.AccessDenied),
        404 => Encoding.UTF8.GetBytes(AzurePayloads.DeploymentNotFound),
        429 => Encoding.UTF8.GetBytes(AzurePayloads.RateLimited),
        _ => _openAI.ErrorBody(fault, request),
    };

    private static UpstreamResponse.Buffered Error(int status, string body) => new(status, JsonContentType, Encoding.UTF8.GetBytes(body));
}
