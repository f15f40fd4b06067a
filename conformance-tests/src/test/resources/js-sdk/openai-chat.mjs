// The OpenAI TypeScript SDK on a gateway's chat completions, with web_search_options, JSON and streamed.
import OpenAI from "openai";

const [baseURL, apiKey, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL: baseURL + "/v1", apiKey, maxRetries: 0, timeout: 20_000 });
const params = { model, web_search_options: {}, messages: [{ role: "user", content: "What is Keyline?" }] };
const json = await client.chat.completions.create(params);
let streamed = "";
let finish = null;
let usage = null;
const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
for await (const chunk of stream) {
  streamed += chunk.choices[0]?.delta?.content ?? "";
  finish = chunk.choices[0]?.finish_reason ?? finish;
  usage = chunk.usage ?? usage;
}
console.log(JSON.stringify({
  json: json.choices[0].message.content,
  jsonFinish: json.choices[0].finish_reason,
  streamed,
  finish,
  completionTokens: usage?.completion_tokens,
}));
