// The peer in every turn benchmark: a bare restify endpoint doing nothing but JSON in, JSON out.
import restify from 'restify';

const server = restify.createServer();
server.use(restify.plugins.bodyParser({ maxBodySize: 64 * 1024 }));
server.post('/hello', async (req, res) => {
  const body = req.body as { sender?: string };
  res.send(200, [{ recipient_id: body.sender ?? 'anonymous', text: 'hello' }]);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}/hello` })}\n`);
});
