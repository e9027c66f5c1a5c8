"""A slixmpp XEP-0050 client that sends action='next' at every stage, as Poezio does, including the last.

Usage: python3 always-next.py HOST PORT JID PASSWORD BOT < runs.json
runs.json: [{"node": "...", "choose": {"field": "value", ...}}, ...]. Each run executes the node and answers each
stage: a list-single gets its `choose` value, else the value the form already holds, else its first option; a
boolean is true; a text-single or jid-single gets its `choose` value if it has one; other fields are left as they
come. Prints one JSON line per run: {"node", "status", "notes", "stages": [titles], "result": {var: value}, "error"?}.
"""
import asyncio
import json
import sys

import slixmpp

HOST, PORT, JID, PASSWORD, BOT = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
RUNS = json.load(sys.stdin)


class Client(slixmpp.ClientXMPP):
    def __init__(self):
        super().__init__(JID, PASSWORD)
        for plugin in ('xep_0030', 'xep_0004', 'xep_0050'):
            self.register_plugin(plugin)
        self.add_event_handler('session_start', self.start)
        self.add_event_handler('failed_auth', lambda _: self.disconnect())

    def answer(self, form, choose):
        out = self['xep_0004'].make_form(ftype='submit')
        for var, field in form.get_fields().items():
            kind = field['type']
            if kind == 'list-single':
                options = [o['value'] for o in field.get_options()]
                value = choose.get(var) or field['value'] or (options[0] if options else '')
                out.add_field(var=var, value=value)
            elif kind == 'boolean':
                out.add_field(var=var, ftype='boolean', value=True)
            elif kind in ('text-single', 'jid-single') and choose.get(var):
                out.add_field(var=var, value=choose[var])
        return out

    async def run(self, node, choose):
        stages = []
        try:
            iq = await self['xep_0050'].send_command(BOT, node, action='execute')
            for _ in range(12):
                cmd = iq['command']
                notes = [n[1] for n in cmd['notes']]
                if cmd['status'] != 'executing':
                    result = {var: f['value'] for var, f in cmd['form'].get_fields().items()} if cmd.xml.find('{jabber:x:data}x') is not None else {}
                    return {'node': node, 'status': cmd['status'], 'notes': notes, 'stages': stages, 'result': result}
                form = cmd['form']
                stages.append(form['title'])
                req = self.Iq()
                req['type'] = 'set'
                req['to'] = BOT
                req['command']['node'] = node
                req['command']['sessionid'] = cmd['sessionid']
                req['command']['action'] = 'next'
                req['command'].append(self.answer(form, choose))
                iq = await req.send()
            return {'node': node, 'status': 'too-many-stages', 'notes': [], 'stages': stages}
        except slixmpp.exceptions.IqError as e:
            return {'node': node, 'status': 'error', 'error': e.iq['error']['condition'], 'notes': [e.iq['error']['text']], 'stages': stages}

    async def start(self, _):
        for r in RUNS:
            print(json.dumps(await self.run(r['node'], r.get('choose', {}))), flush=True)
        self.disconnect()


client = Client()
client.connect((HOST, PORT), use_ssl=False, force_starttls=False, disable_starttls=True)
asyncio.get_event_loop().run_until_complete(client.disconnected)
