using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;

namespace Switchboard.Gateway.Tests;

/// <summary>Calls of the jobs API for tests: submit, read, wait until a job or batch is done.</summary>
internal static class JobsApi
{
    public static async Task<JsonObject> SubmitAsync(this GatewayHost host, string json)
    {
        using var response = await host.PostJsonAsync("api/jobs", json);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<HttpResponseMessage> PostJsonAsync(this GatewayHost host, string path, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await host.Http.PostAsync(path, content);
    }

    public static async Task<JsonObject> GetObjectAsync(this GatewayHost host, string path)
    {
        using var response = await host.Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Reads the job until <paramref name="until"/> holds for it (finished, by default), for at most a minute.</summary>
    public static async Task<JsonObject> WaitAsync(this GatewayHost host, string id, Func<JsonObject, bool>? until = null)
    {
        until ??= job => (string?)job["status"] is "succeeded" or "failed" or "cancelled";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var job = await host.GetObjectAsync("api/jobs/" + id);
            if (until(job)) return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {id} is still {job["status"]} after 60 s: {job.ToJsonString()}");
            await Task.Delay(20);
        }
    }

    /// <summary>Reads the batch until none of its jobs is pending or running, for at most two minutes.</summary>
    public static async Task<JsonObject> WaitForBatchAsync(this GatewayHost host, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var batch = await host.GetObjectAsync("api/batches/" + id);
            if ((string?)batch["status"] != "running") return batch;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"batch {id} is still running after 120 s: {batch.ToJsonString()}");
            await Task.Delay(50);
        }
    }
}
