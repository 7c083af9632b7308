import { measureCpu } from '../cpu.mjs';
console.log(JSON.stringify(await measureCpu({ quick: process.argv[2] === 'q' }), null, 1));
