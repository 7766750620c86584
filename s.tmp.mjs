import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:');
const conn = await inst.connect();
const f = process.argv[2];
let r = await conn.runAndReadAll(`SELECT row_group_id, path_in_schema, bloom_filter_offset, bloom_filter_length, encodings FROM parquet_metadata('${f}') WHERE bloom_filter_offset IS NOT NULL`);
console.log(r.getRowsJson().slice(0, 5));
r = await conn.runAndReadAll(`SELECT * FROM parquet_bloom_probe('${f}', 'patient_id', 'nope')`);
console.log(r.getRowsJson());
