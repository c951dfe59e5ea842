using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Gateway;

/// <summary>
/// <c>GET /v1/models</c> in OpenAI's list shape: the catalog's models of every enabled provider and the
/// configured aliases, each under the name a client can request. Made once; the catalog does not change while running.
/// </summary>
internal sealed class ModelsEndpoint
{
    private readonly byte[] _body;

    public ModelsEndpoint(SwitchboardRuntime runtime) => _body = Build(runtime);

    public Task HandleAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(_body, context.RequestAborted).AsTask();
    }

    private static byte[] Build(SwitchboardRuntime runtime)
    {
        var created = runtime.Time.GetUtcNow().ToUnixTimeSeconds();
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var provider in runtime.Providers.All.Where(p => p.IsEnabled))
            {
                foreach (var model in runtime.Catalog.Models)
                {
                    if (!string.Equals(model.Provider, provider.Name, StringComparison.OrdinalIgnoreCase)
                        && !string.Equals(model.Provider, provider.Descriptor.Name, StringComparison.OrdinalIgnoreCase)) continue;
                    Write(writer, RequestableName(runtime, provider.Name, model.Id), provider.Name, created);
                }
            }
            foreach (var (alias, target) in runtime.Options.Aliases) Write(writer, alias, "alias:" + target, created);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The bare id when it leads back to this provider, otherwise <c>provider/id</c>.</summary>
    private static string RequestableName(SwitchboardRuntime runtime, string provider, string id)
    {
        try
        {
            if (string.Equals(runtime.Resolver.Resolve(id).Provider.Name, provider, StringComparison.OrdinalIgnoreCase)) return id;
        }
        catch (SwitchboardException)
        {
            // Not placeable on its own: it needs its prefix.
        }
        return provider + "/" + id;
    }

    private static void Write(Utf8JsonWriter writer, string id, string ownedBy, long created)
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("object", "model");
        writer.WriteNumber("created", created);
        writer.WriteString("owned_by", ownedBy);
        writer.WriteEndObject();
    }
}
