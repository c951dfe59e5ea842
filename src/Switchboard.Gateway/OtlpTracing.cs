using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Switchboard.Configuration;

namespace Switchboard.Gateway;

/// <summary>The OTLP/HTTP export of the gateway's spans, in a type of its own so OpenTelemetry is loaded only when it is on.</summary>
internal static class OtlpTracing
{
    /// <summary>Sends the <c>chat</c> and <c>attempt</c> spans to the OTLP/HTTP collector in <c>telemetry.otlp_endpoint</c>; called only when it is set.</summary>
    public static TracerProvider Start(TelemetryOptions telemetry) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(telemetry.ServiceName))
            .AddSource(SwitchboardTracing.SourceName)
            .AddOtlpExporter(exporter =>
            {
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                exporter.Endpoint = new Uri(telemetry.OtlpEndpoint!, telemetry.OtlpEndpoint!.AbsolutePath.TrimEnd('/') + "/v1/traces");
            })
            .Build();
}
