namespace Switchboard.Routing.Rules;

/// <summary>A plain name such as <c>priority</c> or <c>has_tools</c>: one property of the context.</summary>
internal sealed class FieldNode(RuleField field) : RuleNode
{
    public override RuleValue Evaluate(RoutingContext context) => field switch
    {
        RuleField.Priority => context.Priority is { } priority ? RuleValue.FromNumber(priority) : RuleValue.Missing,
        RuleField.Labels => RuleValue.FromStrings(context.Labels),
        RuleField.Agent => RuleValue.FromText(context.Agent),
        RuleField.Stage => RuleValue.FromText(context.Stage),
        RuleField.Workflow => RuleValue.FromText(context.Workflow),
        RuleField.Id => RuleValue.FromText(context.Id),
        RuleField.User => RuleValue.FromText(context.User),
        RuleField.Hour => RuleValue.FromNumber(context.Hour),
        RuleField.Weekday => RuleValue.FromText(context.Weekday),
        RuleField.Tokens => Analysed(context, tokens: true),
        RuleField.Complexity => Analysed(context, tokens: false),
        RuleField.RetryCount => RuleValue.FromNumber(context.RetryCount),
        RuleField.HasTools => RuleValue.FromBool(context.HasTools),
        RuleField.HasImages => RuleValue.FromBool(context.HasImages),
        RuleField.Model => RuleValue.FromText(context.Model),
        _ => RuleValue.Missing,
    };

    /// <summary>
    /// Read only here, so a request whose rules never mention the prompt's size or complexity never pays for
    /// analysing it. The analyser is the caller's code: if it fails, the value is missing, because evaluation
    /// must never throw.
    /// </summary>
    private static RuleValue Analysed(RoutingContext context, bool tokens)
    {
        try
        {
            return RuleValue.FromNumber(tokens ? context.Tokens : context.Complexity);
        }
        catch (Exception)
        {
            return RuleValue.Missing;
        }
    }
}
