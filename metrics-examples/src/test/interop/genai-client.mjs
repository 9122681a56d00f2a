// @google/genai against a Gemini API base URL (the emulator).
// Usage: node genai-client.mjs <baseUrl> <model>
// generateContent, generateContentStream (server-sent events) and countTokens; prints one JSON line
// with the texts' lengths, the chunk count and the usageMetadata the SDK reported.
import { GoogleGenAI } from '@google/genai';

const [baseUrl, model] = process.argv.slice(2);
const ai = new GoogleGenAI({ apiKey: 'interop-test-key', httpOptions: { baseUrl } });
const contents = [{ role: 'user', parts: [{ text: 'Which Airtable customers are at risk?' }] }];
const out = {};
try {
  const one = await ai.models.generateContent({ model, contents });
  out.text = one.text.length;
  out.usage = one.usageMetadata;
  let chunks = 0;
  let text = '';
  let last;
  for await (const chunk of await ai.models.generateContentStream({ model, contents })) {
    chunks += 1;
    text += chunk.text ?? '';
    if (chunk.usageMetadata) {
      last = chunk.usageMetadata;
    }
  }
  out.streamChunks = chunks;
  out.streamText = text.length;
  out.streamUsage = last;
  out.countTokens = (await ai.models.countTokens({ model, contents })).totalTokens;
} catch (e) {
  out.failure = String(e && e.message ? e.message : e);
}
console.log(JSON.stringify(out));
