/**
 * The webcam: opening a stream, naming what went wrong the way a cashier can act on it, listing the cameras and
 * remembering the one chosen (by deviceId, in localStorage).
 */

/** Why there is no picture: `no-camera`, `denied` (the browser or the site settings refuse), `in-use` (another app holds it), `unsupported` (no mediaDevices: an old browser or an http page), `error`. */
export type CameraProblem = 'no-camera' | 'denied' | 'in-use' | 'unsupported' | 'error';

export class CameraError extends Error {
  constructor(
    readonly problem: CameraProblem,
    cause?: unknown,
  ) {
    super(problem, { cause });
    this.name = 'CameraError';
  }
}

const STORAGE_KEY = 'tsy-code-scanner:camera';

/** getUserMedia's DOMException names (Media Capture and Streams §9.2) mapped to what the cashier can do about them. */
export function cameraProblemOf(error: unknown): CameraProblem {
  const name = (error as { name?: unknown } | null)?.name;
  switch (name) {
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'no-camera';
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotReadableError':
    case 'AbortError':
      return 'in-use';
    case 'TypeError':
      return 'unsupported';
    default:
      return 'error';
  }
}

export function mediaDevicesOf(win: Window): MediaDevices | undefined {
  const devices = win.navigator.mediaDevices as MediaDevices | undefined;
  return typeof devices?.getUserMedia === 'function' ? devices : undefined;
}

/**
 * A video stream: the given camera exactly (the cashier picked it), else the remembered one if it is still there, else
 * any (a back camera preferred on a tablet).
 */
export async function openCamera(win: Window, deviceId?: string): Promise<MediaStream> {
  const devices = mediaDevicesOf(win);
  if (!devices) throw new CameraError('unsupported');
  const remembered = deviceId ? undefined : rememberedCamera(win);
  const video: MediaTrackConstraints = deviceId
    ? { deviceId: { exact: deviceId } }
    : { ...(remembered ? { deviceId: { ideal: remembered } } : {}), facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } };
  try {
    return await devices.getUserMedia({ video, audio: false });
  } catch (error) {
    throw new CameraError(cameraProblemOf(error), error);
  }
}

/** The cameras (with labels once permission is granted); none when they cannot be listed. */
export async function listCameras(win: Window): Promise<MediaDeviceInfo[]> {
  try {
    const all = (await mediaDevicesOf(win)?.enumerateDevices()) ?? [];
    return all.filter((device) => device.kind === 'videoinput' && device.deviceId);
  } catch {
    return [];
  }
}

export function stopStream(stream: MediaStream | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

export function rememberedCamera(win: Window): string | undefined {
  try {
    return win.localStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function rememberCamera(win: Window, deviceId: string): void {
  try {
    win.localStorage.setItem(STORAGE_KEY, deviceId);
  } catch {
    // Storage refused (private mode, a sandboxed frame): the choice holds for this page only.
  }
}
