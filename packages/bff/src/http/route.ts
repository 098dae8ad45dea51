import type { NextFunction, Request, Response } from 'express';

/** An async route handler whose rejection goes to the router's error handlers (never an unhandled rejection). */
export const route =
  (handler: (req: Request, res: Response) => Promise<unknown>) =>
  (req: Request, res: Response, next: NextFunction): void => {
    handler(req, res).catch(next);
  };
