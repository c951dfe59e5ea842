using System.Buffers;
using System.Text.Json;
using Shouldly;
using Switchboard.Providers.Gemini;
using Xunit;
using static Switchboard.Core.Tests.Providers.Gemini.GeminiRequestTests;

namespace Switchboard.Core.Tests.Providers.Gemini;

public sealed class GeminiSchemaTests
{
    [Fact]
    public void Fields_outside_geminis_subset_are_left_out_at_every_level()
    {
        var schema = Convert("""
            {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"x","type":"object","additionalProperties":false,"strict":true,
             "properties":{
               "tags":{"type":"array","uniqueItems":true,"items":{"type":"string","minLength":1,"maxLength":20,"pattern":"^[a-z]+$","examples":["a"]}},
               "count":{"type":"integer","exclusiveMinimum":0,"multipleOf":2,"minimum":1,"maximum":10,"default":2},
               "nested":{"type":"object","title":"Nested","additionalProperties":{"type":"string"},"properties":{"a":{"type":"boolean","readOnly":true}}}},
             "required":["tags"],"minProperties":1,"$comment":"c"}
            """);

        ShouldEqual(schema, """
            {"type":"OBJECT",
             "properties":{
               "tags":{"type":"ARRAY","items":{"type":"STRING","minLength":1,"maxLength":20,"pattern":"^[a-z]+$"}},
               "count":{"type":"INTEGER","minimum":1,"maximum":10,"default":2},
               "nested":{"type":"OBJECT","title":"Nested","properties":{"a":{"type":"BOOLEAN"}}}},
             "minProperties":1,"required":["tags"]}
            """);
    }

    [Fact]
    public void A_nullable_type_list_becomes_nullable()
    {
        ShouldEqual(Convert("""{"type":["string","null"],"description":"maybe"}"""), """{"type":"STRING","description":"maybe","nullable":true}""");
    }

    [Fact]
    public void An_any_of_with_null_becomes_nullable_and_one_option_is_merged()
    {
        // Pydantic's Optional[int] = None.
        ShouldEqual(Convert("""{"anyOf":[{"type":"integer"},{"type":"null"}],"default":null,"title":"Limit"}"""),
            """{"type":"INTEGER","default":null,"title":"Limit","nullable":true}""");
    }

    [Fact]
    public void One_of_becomes_any_of()
    {
        ShouldEqual(Convert("""{"oneOf":[{"type":"string"},{"type":"number","format":"double"}]}"""),
            """{"anyOf":[{"type":"STRING"},{"type":"NUMBER","format":"double"}]}""");
    }

    [Fact]
    public void Local_refs_are_inlined_and_definitions_dropped()
    {
        var schema = Convert("""
            {"type":"object","$defs":{"Unit":{"type":"string","enum":["celsius","fahrenheit"]}},
             "definitions":{"Place":{"type":"object","properties":{"city":{"type":"string"}}}},
             "properties":{"unit":{"$ref":"#/$defs/Unit","description":"Which unit"},"place":{"allOf":[{"$ref":"#/definitions/Place"}]}}}
            """);

        ShouldEqual(schema, """
            {"type":"OBJECT","properties":{
              "unit":{"description":"Which unit","type":"STRING","enum":["celsius","fahrenheit"]},
              "place":{"type":"OBJECT","properties":{"city":{"type":"STRING"}}}}}
            """);
    }

    [Fact]
    public void A_recursive_ref_stops_instead_of_recursing_forever()
    {
        var schema = Convert("""{"$defs":{"Node":{"type":"object","properties":{"child":{"$ref":"#/$defs/Node"}}}},"$ref":"#/$defs/Node"}""");

        schema.GetProperty("type").GetString().ShouldBe("OBJECT");
        schema.GetProperty("properties").GetProperty("child").GetProperty("properties").GetProperty("child").GetProperty("type").GetString().ShouldBe("OBJECT");
    }

    [Fact]
    public void Const_and_non_string_enums_become_string_enums()
    {
        ShouldEqual(Convert("""{"type":"object","properties":{"kind":{"const":"circle"},"size":{"type":"integer","enum":[1,2,null]}}}"""),
            """{"type":"OBJECT","properties":{"kind":{"enum":["circle"]},"size":{"type":"INTEGER","enum":["1","2"],"nullable":true}}}""");
    }

    [Theory]
    [InlineData("string", "date-time", true)]
    [InlineData("string", "enum", true)]
    [InlineData("string", "email", false)]
    [InlineData("string", "uri", false)]
    [InlineData("number", "float", true)]
    [InlineData("integer", "int64", true)]
    [InlineData("integer", "date-time", false)]
    public void Only_formats_gemini_takes_for_the_type_are_kept(string type, string format, bool kept)
    {
        Convert($$"""{"type":"{{type}}","format":"{{format}}"}""").TryGetProperty("format", out _).ShouldBe(kept);
    }

    [Fact]
    public void Required_keeps_only_declared_properties()
    {
        ShouldEqual(Convert("""{"type":"object","properties":{"a":{"type":"string"}},"required":["a","b"]}"""),
            """{"type":"OBJECT","properties":{"a":{"type":"STRING"}},"required":["a"]}""");
    }

    [Fact]
    public void Empty_properties_are_left_out()
    {
        ShouldEqual(Convert("""{"type":"object","properties":{"options":{"type":"object","properties":{}}}}"""),
            """{"type":"OBJECT","properties":{"options":{"type":"OBJECT"}}}""");
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{}}""", true)]
    [InlineData("""{"type":"object"}""", true)]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}}}""", false)]
    [InlineData("""{"$ref":"#/$defs/A","$defs":{"A":{"type":"object","properties":{"a":{"type":"string"}}}}}""", false)]
    public void Parameters_without_properties_count_as_none(string schema, bool empty)
    {
        using var document = JsonDocument.Parse(schema);
        GeminiSchema.IsEmptyObject(document.RootElement).ShouldBe(empty);
    }

    private static JsonElement Convert(string schema)
    {
        using var input = JsonDocument.Parse(schema);
        var output = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(output)) GeminiSchema.Write(json, input.RootElement);
        using var document = JsonDocument.Parse(output.WrittenMemory);
        return document.RootElement.Clone();
    }
}
