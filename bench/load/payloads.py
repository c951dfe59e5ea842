#!/usr/bin/env python3
"""Fixed payloads for the load benchmark, copied from bench/Switchboard.Benchmarks/Payloads.cs (which follows
tests/Switchboard.Testing/OpenAIPayloads.cs) and shaped after tests/Switchboard.Testing/AnthropicPayloads.cs.

  payloads.py write DIR NGINX_PORT   writes DIR/nginx.conf, DIR/req_*.json
"""
import json, os, sys

def chat_request(model, stream=False):
    return ('{"model":"' + model + '","messages":['
        '{"role":"system","content":"You are the assistant of an online bookshop. Answer in at most two sentences, quote prices in euros, and call lookup_title whenever the customer names a book you have not seen in this conversation."},'
        '{"role":"user","content":"Do you have The Left Hand of Darkness in paperback?"},'
        '{"role":"assistant","content":"Yes: the 2019 Gollancz paperback is in stock at 11.99 EUR and ships within two working days."},'
        '{"role":"user","content":"Great. Is A Wizard of Earthsea available too, ideally the illustrated edition?"}],'
        '"tools":[{"type":"function","function":{"name":"lookup_title","description":"Looks a book up in the shop\'s stock by title and returns editions, prices and availability.",'
        '"parameters":{"type":"object","properties":{"title":{"type":"string","description":"The title as the customer wrote it"},'
        '"edition":{"type":"string","enum":["paperback","hardcover","illustrated","ebook"]}},"required":["title"],"additionalProperties":false}}}],'
        '"tool_choice":"auto","temperature":0.3,"max_tokens":400,"user":"customer-4821"'
        + (',"stream":true,"stream_options":{"include_usage":true}' if stream else '') + '}')

ANSWER = ("Yes, A Wizard of Earthsea is in stock in the illustrated Folio-style edition with Charles Vess's artwork, at 32.50 EUR, "
    "and it ships within three working days because it comes from our second warehouse. The standard paperback is also "
    "available at 9.99 EUR for next-day dispatch. If you would like both Earthsea and The Left Hand of Darkness, I can put "
    "them in one parcel so you pay a single shipping fee; the combined order would arrive in three to four working days. "
    "Shall I add the illustrated edition to your basket?")

def chat_completion():
    return ('{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18",'
        '"choices":[{"index":0,"message":{"role":"assistant","content":' + json.dumps(ANSWER) + ',"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],'
        '"usage":{"prompt_tokens":231,"completion_tokens":97,"total_tokens":328,'
        '"prompt_tokens_details":{"cached_tokens":128,"audio_tokens":0},'
        '"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},'
        '"service_tier":"default","system_fingerprint":"fp_06737a9306"}')

def anthropic_message():
    return json.dumps({"id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "type": "message", "role": "assistant",
        "model": "claude-sonnet-4-5-20250929", "content": [{"type": "text", "text": ANSWER}],
        "stop_reason": "end_turn", "stop_sequence": None,
        "usage": {"input_tokens": 231, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 128, "output_tokens": 97}},
        separators=(",", ":"))

def stream_events():
    head = ('{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,'
            '"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[')
    words = ["Yes", ",", " A", " Wizard", " of", " Earthsea", " is", " in", " stock", " in", " the", " illustrated", " edition", " at", " 32.50", " EUR", "."]
    ev = [head + '{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}']
    ev += [head + '{"index":0,"delta":{"content":' + json.dumps(w) + '},"logprobs":null,"finish_reason":null}],"usage":null}' for w in words]
    ev.append(head + '{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}')
    ev.append(head + '],"usage":{"prompt_tokens":231,"completion_tokens":17,"total_tokens":248,'
              '"prompt_tokens_details":{"cached_tokens":128,"audio_tokens":0},'
              '"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}')
    assert len(ev) == 20
    return ["data: " + e + "\n\n" for e in ev] + ["data: [DONE]\n\n"]

def nginx_quote(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"

def nginx_conf(tmp, port):
    events = stream_events()
    parts = [''.join(events[i:i + 5]) for i in range(0, len(events), 5)]
    pieces = "\n".join(f"      set $sse{i} {nginx_quote(p)};" for i, p in enumerate(parts))
    joined = "".join(f"$sse{i}" for i in range(len(parts)))
    return f"""worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/client_body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  client_body_buffer_size 64k;
  server {{
    listen 127.0.0.1:{port};
    location = /v1/chat/completions {{ default_type application/json; return 200 {nginx_quote(chat_completion())}; }}
    location = /stream/v1/chat/completions {{
      # nginx limits one config token to 4 KB, so the 6.3 KB stream is set in pieces and returned joined.
{pieces}
      default_type text/event-stream; add_header Cache-Control no-cache; return 200 "{joined}"; }}
    location = /v1/messages {{ default_type application/json; return 200 {nginx_quote(anthropic_message())}; }}
  }}
}}
"""

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "write":
        sys.exit(__doc__)
    d, port = sys.argv[2], int(sys.argv[3])
    files = {
        "nginx.conf": nginx_conf(d, port),
        "req_openai.json": chat_request("gpt-4o-mini"),
        "req_claude.json": chat_request("claude-sonnet-4-5"),
        "req_stream.json": chat_request("streamer/gpt-4o-mini", stream=True),
        "req_stream_direct.json": chat_request("gpt-4o-mini", stream=True),
        "req_slow.json": chat_request("slow/gpt-4o-mini", stream=True),
    }
    for name, text in files.items():
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
