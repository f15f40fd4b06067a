// The Anthropic TypeScript SDK asking for web search through a gateway, JSON and streamed; prints what it parsed.
import Anthropic from "@anthropic-ai/sdk";

const [baseURL, apiKey, model] = process.argv.slice(2);
const client = new Anthropic({ baseURL, apiKey, maxRetries: 0, timeout: 20_000 });
const params = {
  model,
  max_tokens: 512,
  tools: [{ type: "web_search_20250305", name: "web_search", max_uses: 3 }],
  messages: [{ role: "user", content: "What is Keyline?" }],
};
const json = await client.messages.create(params);
const streamed = await client.messages.stream(params).finalMessage();
console.log(JSON.stringify({
  json: json.content.map((b) => b.type),
  streamed: streamed.content.map((b) => b.type),
  sameBlocks: JSON.stringify(json.content) === JSON.stringify(streamed.content),
  url: streamed.content.find((b) => b.type === "web_search_tool_result")?.content?.[0]?.url,
  text: streamed.content.filter((b) => b.type === "text").map((b) => b.text).join(""),
  citations: streamed.content.flatMap((b) => (b.type === "text" && b.citations) || []).map((c) => c.url),
  searches: streamed.usage.server_tool_use?.web_search_requests,
  outputTokens: streamed.usage.output_tokens,
}));
