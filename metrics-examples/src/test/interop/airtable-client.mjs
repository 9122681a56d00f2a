// Airtable.js against an Airtable Web API base URL (the emulator).
// Usage: node airtable-client.mjs <endpointUrl> <apiKey> <baseId> <table>
// Lists sorted pages (GET and, forced, POST listRecords), creates with typecast, reads, updates and
// deletes a record, and provokes the 422s for an unknown field, sort field and view.
// Prints one JSON line with what it saw.
import Airtable from 'airtable';

const [endpointUrl, apiKey, baseId, tableName] = process.argv.slice(2);
const table = new Airtable({ apiKey, endpointUrl, noRetryIfRateLimited: true }).base(baseId)(tableName);
const out = {};
const errorOf = async (promise) => {
  try {
    await promise;
    return 'none';
  } catch (e) {
    return `${e.statusCode} ${e.error}`;
  }
};
try {
  const sorted = await table.select({ sort: [{ field: 'Score', direction: 'desc' }, { field: 'Name', direction: 'asc' }],
    fields: ['Name', 'Score'], pageSize: 40 }).all();
  out.getCount = sorted.length;
  out.getFirst = sorted.slice(0, 3).map((r) => `${r.get('Score')}:${r.get('Name')}`);
  const posted = await table.select({ sort: [{ field: 'Name', direction: 'desc' }], pageSize: 100, method: 'post',
    maxRecords: 5 }).all();
  out.postNames = posted.map((r) => r.get('Name'));
  const [created] = await table.create([{ fields: { Name: 'Interop', Score: '42' } }], { typecast: true });
  out.createdScore = created.get('Score');
  const found = await table.find(created.id);
  out.foundName = found.get('Name');
  const updated = await table.update(created.id, { Status: 'Done' });
  out.updatedStatus = updated.get('Status');
  const destroyed = await table.destroy(created.id);
  out.destroyed = destroyed.id === created.id;
  out.unknownField = await errorOf(table.create([{ fields: { Nope: 1 } }]));
  out.wrongType = await errorOf(table.create([{ fields: { Score: 'many' } }]));
  out.unknownSort = await errorOf(table.select({ sort: [{ field: 'Nope' }] }).firstPage());
  out.unknownView = await errorOf(table.select({ view: 'Kanban' }).firstPage());
} catch (e) {
  out.failure = `${e.statusCode} ${e.error} ${e.message}`;
}
console.log(JSON.stringify(out));
