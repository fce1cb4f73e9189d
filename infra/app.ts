import { createServiceApp } from './service-app.ts';

createServiceApp();
