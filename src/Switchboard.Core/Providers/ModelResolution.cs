using System.Text.Json;
using Switchboard.Catalog;
using Switchboard.Chat;

namespace Switchboard.Providers;

/// <summary>Where a requested name leads: the provider, the model id to send it, and how it was worked out.</summary>
public sealed record ModelResolution
{
    public ModelResolution(string requested, Provider provider, string model, string matchedBy, CatalogModel? catalogModel)
    {
        Requested = requested;
        Provider = provider;
        Model = model;
        MatchedBy = matchedBy;
        CatalogModel = catalogModel;
        EncodedModel = JsonSerializer.SerializeToUtf8Bytes(model, ResolutionJsonContext.Default.String);
        ModelOnlyEdits = new RequestBodyEdits(EncodedModel);
    }

    /// <summary>The name the client asked for.</summary>
    public string Requested { get; }

    public Provider Provider { get; }

    /// <summary>The model id the provider is sent.</summary>
    public string Model { get; }

    /// <summary><c>alias</c>, <c>prefix</c>, <c>catalog</c> or <c>pattern</c>, with the alias chain when there was one.</summary>
    public string MatchedBy { get; }

    /// <summary>What the catalog knows of the model, or null when it does not know it (then its cost is unknown).</summary>
    public CatalogModel? CatalogModel { get; }

    /// <summary>The model id as a JSON string, quotes included, ready to be written into a body.</summary>
    internal byte[] EncodedModel { get; }

    /// <summary>The edits for the common case, where only the model changes; made once, shared by every request.</summary>
    internal RequestBodyEdits ModelOnlyEdits { get; }
}
