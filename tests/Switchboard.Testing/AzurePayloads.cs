namespace Switchboard.Testing;

/// <summary>
/// Azure OpenAI's own error bodies, as its documentation and SDK issue reports show them (content filtering: "Azure OpenAI
/// content filtering", the 400 <c>content_filter</c> error with inner code <c>ResponsibleAIPolicyViolation</c>).
/// </summary>
internal static class AzurePayloads
{
    public const string ResourceNotFound = """{"error":{"code":"404","message":"Resource not found"}}""";

    public const string AccessDenied =
        """{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}""";

    public const string DeploymentNotFound =
        """{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}""";

    public const string RateLimited =
        """{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit."}}""";

    public const string ContentFilter =
        """{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":true,"severity":"high"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}}}""";
}
