using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Gateway.Execution;
using Switchboard.Routing;

namespace Switchboard.Gateway.Compare;

/// <summary>
/// Puts one prompt to several models at once, each as a request of its own through <see cref="GatewayChat"/> (so
/// routing, fallbacks, budgets and the usage log apply to each), and collects every answer. One model failing is
/// part of the result, never the comparison's failure.
/// </summary>
internal sealed class Comparison(GatewayChat chat)
{
    /// <summary>The most models one comparison may ask: each is a paid call made at the same moment.</summary>
    public const int MaxModels = 10;

    /// <summary>The error code of a list of models that cannot be compared (empty, too long, repeated names).</summary>
    public const string InvalidModels = "invalid_models";

    public async Task<ComparisonResult> RunAsync(ComparisonRequest request, CancellationToken cancellationToken)
    {
        var bodies = request.Models.Select(model => Body(request, model)).ToList();
        Check(request.Models, bodies);
        var started = chat.Runtime.Time.GetTimestamp();
        var outcomes = await Task.WhenAll(bodies.Select(body => chat.CompleteAsync(body, cancellationToken)));
        var answers = request.Models.Select((model, i) => new ModelAnswer(model, outcomes[i])).ToList();
        return new ComparisonResult(answers, chat.Runtime.Time.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>
    /// Refuses, before anyone is called, a list that is empty, too long or repeats a model, and any model that cannot
    /// be placed or whose every deployment lacks its key, with the resolver's own message.
    /// </summary>
    private void Check(IReadOnlyList<string> models, List<byte[]> bodies)
    {
        if (models.Count == 0)
            throw SwitchboardException.BadRequest("models is empty: name at least one model to ask, such as [\"gpt-4.1\", \"claude-sonnet-4-5\"].", "models", InvalidModels);
        if (models.Count > MaxModels)
            throw SwitchboardException.BadRequest($"models names {models.Count} models; a comparison asks at most {MaxModels}.", "models", InvalidModels);
        if (models.Any(string.IsNullOrWhiteSpace))
            throw SwitchboardException.BadRequest("models has an empty name.", "models", InvalidModels);
        if (models.GroupBy(m => m, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw SwitchboardException.BadRequest($"models names {repeated.Key} more than once; each model is asked once.", "models", InvalidModels);
        for (var i = 0; i < models.Count; i++)
        {
            try
            {
                SwitchboardException? refusal = null;
                foreach (var candidate in chat.Runtime.Explain(bodies[i]).Candidates)
                {
                    refusal = Refusal(candidate);
                    if (refusal is null) break;
                }
                if (refusal is not null) throw refusal;
            }
            catch (SwitchboardException e)
            {
                throw new SwitchboardException(ErrorCategory.BadRequest, 400, $"models: {models[i]}: {e.Message}", "models", e.Code ?? "invalid_model");
            }
        }
    }

    /// <summary>Why the candidate cannot be called (its provider's key is missing, say); null when it can.</summary>
    private static SwitchboardException? Refusal(RouteCandidate candidate)
    {
        try
        {
            candidate.Target.Provider.EnsureCallable(candidate.Target.Model);
            return null;
        }
        catch (SwitchboardException e)
        {
            return e;
        }
    }

    private static byte[] Body(ComparisonRequest request, string model) =>
        JsonSerializer.SerializeToUtf8Bytes(new ChatRequest
        {
            Model = model,
            Messages = [.. request.Messages],
            MaxTokens = request.MaxTokens,
            Temperature = request.Temperature,
        }, ChatJsonContext.Default.ChatRequest);
}
