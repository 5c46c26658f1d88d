// The bench's subset of the Parley protocol (hello, join, send, ping) on Bun.serve
// (uWebSockets): rooms are Bun topics, nothing persisted; a broadcast is encoded once.
//   bun bun-server.js PORT
const port = Number(process.argv[2] || 19080);
const rooms = new Map(); // name -> seq

Bun.serve({
  hostname: '127.0.0.1',
  port,
  fetch(req, server) {
    if (new URL(req.url).pathname === '/ws' && server.upgrade(req, { data: { user: '', rooms: new Set() } })) return;
    return new Response('not found', { status: 404 });
  },
  websocket: {
    perMessageDeflate: false,
    message(ws, data) {
      let m;
      try { m = JSON.parse(data); } catch { return ws.send('{"v":1,"type":"error","code":"bad_json"}'); }
      switch (m.type) {
        case 'hello':
          ws.data.user = m.name;
          ws.send(JSON.stringify({ v: 1, type: 'welcome', user: m.name, server: 'bun-peer' }));
          break;
        case 'join':
          if (!rooms.has(m.room)) rooms.set(m.room, 0);
          ws.subscribe(m.room);
          ws.data.rooms.add(m.room);
          ws.send(JSON.stringify({ v: 1, type: 'joined', room: m.room, epoch: 'e', head_seq: rooms.get(m.room), history: [], resume: 'none', more: false }));
          break;
        case 'send': {
          if (!ws.data.rooms.has(m.room)) return ws.send(JSON.stringify({ v: 1, type: 'error', code: 'not_joined', ref: m.client_id }));
          const seq = rooms.get(m.room) + 1;
          rooms.set(m.room, seq);
          ws.send(JSON.stringify({ v: 1, type: 'ack', room: m.room, client_id: m.client_id, seq, duplicate: false }));
          const frame = JSON.stringify({ v: 1, type: 'message', message: { room: m.room, seq, author: ws.data.user, kind: 'user', text: m.text, client_id: m.client_id, gen_id: '', status: 'complete', ts_ms: Date.now() } });
          // publish() skips the sender; it gets its copy like every other member.
          ws.publish(m.room, frame);
          ws.send(frame);
          break;
        }
        case 'ping':
          ws.send(JSON.stringify({ v: 1, type: 'pong' }));
          break;
        default:
          ws.send(JSON.stringify({ v: 1, type: 'error', code: 'unknown_type', ref: String(m.type) }));
      }
    },
  },
});
