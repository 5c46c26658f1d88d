// The bench's subset of the Parley protocol (hello, join, send, ping) on Node's `ws`:
// rooms in memory, nothing persisted; a broadcast is encoded once.
//   node ws-server.mjs PORT
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] || 19080);
const rooms = new Map(); // name -> { seq, members: Set<ws> }
const wss = new WebSocketServer({ port, host: '127.0.0.1', path: '/ws', perMessageDeflate: false });

function room(name) {
  let r = rooms.get(name);
  if (!r) rooms.set(name, (r = { seq: 0, members: new Set() }));
  return r;
}

wss.on('connection', (ws) => {
  ws.user = '';
  ws.rooms = new Set();
  ws.on('message', (data) => {
    let m;
    try { m = JSON.parse(data); } catch { return ws.send('{"v":1,"type":"error","code":"bad_json"}'); }
    switch (m.type) {
      case 'hello':
        ws.user = m.name;
        ws.send(JSON.stringify({ v: 1, type: 'welcome', user: m.name, server: 'ws-peer' }));
        break;
      case 'join': {
        const r = room(m.room);
        r.members.add(ws);
        ws.rooms.add(m.room);
        ws.send(JSON.stringify({ v: 1, type: 'joined', room: m.room, epoch: 'e', head_seq: r.seq, history: [], resume: 'none', more: false }));
        break;
      }
      case 'send': {
        const r = rooms.get(m.room);
        if (!r || !r.members.has(ws)) return ws.send(JSON.stringify({ v: 1, type: 'error', code: 'not_joined', ref: m.client_id }));
        const seq = ++r.seq;
        ws.send(JSON.stringify({ v: 1, type: 'ack', room: m.room, client_id: m.client_id, seq, duplicate: false }));
        const frame = JSON.stringify({ v: 1, type: 'message', message: { room: m.room, seq, author: ws.user, kind: 'user', text: m.text, client_id: m.client_id, gen_id: '', status: 'complete', ts_ms: Date.now() } });
        for (const peer of r.members) peer.send(frame);
        break;
      }
      case 'ping':
        ws.send(JSON.stringify({ v: 1, type: 'pong' }));
        break;
      default:
        ws.send(JSON.stringify({ v: 1, type: 'error', code: 'unknown_type', ref: String(m.type) }));
    }
  });
  ws.on('close', () => {
    for (const name of ws.rooms) {
      const r = rooms.get(name);
      if (r) r.members.delete(ws);
    }
  });
});
