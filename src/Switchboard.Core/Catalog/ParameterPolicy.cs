using System.Text;
using Switchboard.Chat;
using Switchboard.Providers;

namespace Switchboard.Catalog;

/// <summary>
/// Fits a request's parameters to the model: sampling parameters a model does not accept are dropped
/// (or refused, as <c>drop_unsupported</c> says), <c>max_tokens</c> becomes <c>max_completion_tokens</c> for
/// OpenAI's reasoning models, and the config's per-model defaults are added where the client sent nothing.
/// </summary>
internal static class ParameterPolicy
{
    private static readonly (string Name, byte[] Utf8)[] Sampling =
    [
        .. new[] { "temperature", "top_p", "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs", "logit_bias" }
            .Select(name => (name, Encoding.UTF8.GetBytes(name))),
    ];

    private static readonly (string Name, byte[] Utf8) ReasoningEffort = ("reasoning_effort", "reasoning_effort"u8.ToArray());

    /// <summary>The edits for this request; <paramref name="dropped"/> names what was left out, for the response header.</summary>
    public static RequestBodyEdits Plan(ChatRequestEnvelope envelope, ReadOnlySpan<byte> body, ModelResolution target, bool dropUnsupported, out string? dropped)
    {
        dropped = null;
        var model = target.CatalogModel;
        if (model is null) return target.ModelOnlyEdits;

        RequestBodyEdits? edits = null;
        // A model whose capabilities are listed is known: without "temperature" it rejects sampling parameters,
        // without "reasoning" a reasoning effort (as OpenAI's gpt-4o does).
        if (model.Capabilities.Count > 0)
        {
            if (!model.Has(ModelCapabilities.Temperature))
            {
                foreach (var (name, utf8) in Sampling) DropOrRefuse(envelope, body, target, dropUnsupported, name, utf8, ref edits, ref dropped);
            }
            if (!model.Has(ModelCapabilities.Reasoning)) DropOrRefuse(envelope, body, target, dropUnsupported, ReasoningEffort.Name, ReasoningEffort.Utf8, ref edits, ref dropped);
        }

        if (model.Has(ModelCapabilities.Reasoning) && target.Provider.Descriptor.Name is "openai" or "azure"
            && envelope.IndexOf(body, "max_tokens"u8) >= 0)
        {
            edits ??= new RequestBodyEdits(target.EncodedModel);
            if (envelope.IndexOf(body, "max_completion_tokens"u8) >= 0) edits.Removed.Add("max_tokens");
            else edits.Renamed.Add(("max_tokens", "max_completion_tokens"));
        }

        foreach (var (name, json) in model.Defaults)
        {
            (edits ??= new RequestBodyEdits(target.EncodedModel)).Added.Add((name, Encoding.UTF8.GetBytes(json)));
        }
        return edits ?? target.ModelOnlyEdits;
    }

    /// <summary>Leaves out a parameter the model rejects, or refuses the request when the config says not to drop.</summary>
    private static void DropOrRefuse(ChatRequestEnvelope envelope, ReadOnlySpan<byte> body, ModelResolution target, bool dropUnsupported,
        string name, byte[] utf8, ref RequestBodyEdits? edits, ref string? dropped)
    {
        if (envelope.IndexOf(body, utf8) < 0) return;
        if (!(target.CatalogModel!.DropUnsupported ?? dropUnsupported))
        {
            throw SwitchboardException.BadRequest(
                $"Model {target.Model} does not accept '{name}'. Remove it from the request, or set drop_unsupported: true in switchboard.yaml to have Switchboard drop it.",
                name, "unsupported_parameter");
        }
        (edits ??= new RequestBodyEdits(target.EncodedModel)).Removed.Add(name);
        dropped = dropped is null ? name : dropped + "," + name;
    }
}
