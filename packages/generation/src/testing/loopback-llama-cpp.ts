// What the loopback server's `llama.cpp` backend refuses, and how: the checks and error bodies
// of llama.cpp's own server (the build `./dev llama-server` makes), compared against it in
// loopback-server.llama-server.test.ts.

/** llama.cpp's error body: `{ error: { code, message, type } }`. */
export function llamaCppErrorBody(status: number, message: string): Record<string, unknown> {
  const type =
    status === 400 ? 'invalid_request_error' : status === 404 ? 'not_found_error' : 'server_error';
  return { error: { code: status, message, type } };
}

type Message = { role?: unknown; content?: unknown; tool_calls?: unknown };

/**
 * The refusal llama.cpp's server gives a request body, if any, as the real server (built by
 * `./dev llama-server`) answered: its request errors are 400, `/v1/completions` without a
 * prompt included; `echo: true` on `/v1/completions` is ignored (a 200 without the prompt).
 */
export function llamaCppRefusal(
  endpoint: 'chat' | 'completions',
  body: Record<string, unknown>,
): { status: number; message: string } | undefined {
  for (const param of ['best_of', 'suffix'])
    if (param in body) return { status: 500, message: `Unsupported param: ${param}` };
  if (endpoint === 'completions')
    return 'prompt' in body ? undefined : { status: 400, message: '"prompt" is required' };
  if (!('messages' in body)) return { status: 400, message: "'messages' is required" };
  if (!Array.isArray(body.messages))
    return { status: 400, message: "Expected 'messages' to be an array" };
  const messages = body.messages as Message[];
  for (const message of messages) {
    const assistant = message.role === 'assistant';
    if (!assistant && !('content' in message))
      return { status: 400, message: "All non-assistant messages must contain 'content'" };
    if (assistant && !('content' in message) && !('tool_calls' in message))
      return {
        status: 400,
        message: "Assistant message must contain either 'content' or 'tool_calls'!",
      };
  }
  const last = messages[messages.length - 1];
  const explicit = body.continue_final_message === true;
  const prefill = !explicit && last?.role === 'assistant';
  if (prefill && messages[messages.length - 2]?.role === 'assistant')
    return {
      status: 400,
      message: 'Cannot have 2 or more assistant messages at the end of the list.',
    };
  // A prefill turns the generation prompt off by itself; an explicit flag leaves it on (default true).
  if (explicit && body.add_generation_prompt !== false)
    return {
      status: 400,
      message: 'Cannot set both add_generation_prompt and continue_final_message to true.',
    };
  if ((explicit || prefill) && Array.isArray(last?.tool_calls) && last.tool_calls.length > 0)
    return {
      status: 400,
      message: 'Cannot continue an assistant message that contains tool calls.',
    };
  return undefined;
}
