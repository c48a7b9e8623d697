// The organizer's volunteer-card scanner (ScannerPage.razor): the rear camera into a <video>, a few frames a second
// through a QR detector, and each new code handed to .NET. The browser's own BarcodeDetector is used where it reads
// QR codes (Android, ChromeOS, macOS); elsewhere the same API from the vendored barcode-detector (ZXing-C++ in
// WebAssembly), whose .wasm comes from this server, never a CDN.

const FrameInterval = 150; // ms: about 6-7 frames a second is quick at the door and light on a phone's battery
const RepeatAfter = 4000; // ms the same code has to be out of sight before it counts again

// One scanner per page instance, by the key the page chose: at dispose the <video> may already be gone from the DOM.
const scanners = new Map();

/** Starts the camera and the scan loop: { state: "ok" or why it cannot scan, engine: "native" or "zxing-wasm" }. */
export async function start(key, video, dotnet) {
    stop(key); // "try again": one camera, one loop
    if (!window.isSecureContext) {
        return { state: "insecure" };
    }

    if (!navigator.mediaDevices?.getUserMedia) {
        return { state: "nocamera" };
    }

    // Sound needs a touch on the page first (autoplay policy); until then the signal is vibration only.
    document.addEventListener("pointerdown", unlockAudio, { once: true });
    const scanner = new Scanner(video, dotnet);
    scanners.set(key, scanner);
    return { state: await scanner.start(), engine: scanner.engine };
}

/** Stops the loop and the camera (the page closes, or the circuit goes away). */
export function stop(key) {
    scanners.get(key)?.stop();
    scanners.delete(key);
}

/** A short signal for the organizer: vibration on phones, a beep where sound is allowed. */
export function signal(kind) {
    if (kind === "refused") {
        navigator.vibrate?.([80, 60, 80]);
        beep(330, 0.18);
    } else {
        navigator.vibrate?.(kind === "recorded" ? 120 : 40);
        beep(kind === "recorded" ? 880 : 660, 0.12);
    }
}

class Scanner {
    constructor(video, dotnet) {
        this.video = video;
        this.dotnet = dotnet;
        this.stopped = false;
        this.stream = null;
        this.timer = 0;
        this.lastText = null;
        this.lastSeenAt = 0;
        this.engine = "";
    }

    async start() {
        let detector;
        try {
            detector = await createDetector();
        } catch (error) {
            console.warn("card scanner: no QR detector", error);
            return "unsupported";
        }

        this.detector = detector.detector;
        this.engine = detector.engine;
        try {
            this.stream = await navigator.mediaDevices.getUserMedia({
                audio: false,
                video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
            });
        } catch (error) {
            return cameraError(error);
        }

        if (this.stopped) {
            this.releaseCamera();
            return "stopped";
        }

        this.video.srcObject = this.stream;
        this.video.muted = true;
        this.video.setAttribute("playsinline", "");
        try {
            await this.video.play();
        } catch (error) {
            // Autoplay of a muted inline video is allowed everywhere; should it still fail, the frames arrive anyway.
            console.warn("card scanner: video.play()", error);
        }

        this.schedule();
        return "ok";
    }

    schedule() {
        if (!this.stopped) {
            this.timer = setTimeout(() => this.tick(), FrameInterval);
        }
    }

    async tick() {
        try {
            if (!document.hidden && this.video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
                const codes = await this.detector.detect(this.video);
                const text = codes.find((c) => c.rawValue)?.rawValue;
                if (text && !this.stopped) {
                    await this.found(text);
                }
            }
        } catch (error) {
            // A frame that cannot be read (the camera switching, a resize) costs one frame, not the scanner.
            console.debug("card scanner: frame skipped", error);
        }

        this.schedule();
    }

    async found(text) {
        const now = performance.now();
        const repeat = text === this.lastText && now - this.lastSeenAt < RepeatAfter;
        // A card held in front of the camera keeps refreshing this, so it is sent once, not thirty times a second.
        this.lastText = text;
        this.lastSeenAt = now;
        if (repeat) {
            return;
        }

        // The next frame waits for the answer: one card at a time, in order.
        const kind = await this.dotnet.invokeMethodAsync("OnScannedAsync", text);
        if (kind) {
            signal(kind);
        }
    }

    stop() {
        this.stopped = true;
        clearTimeout(this.timer);
        this.releaseCamera();
    }

    releaseCamera() {
        this.stream?.getTracks().forEach((track) => track.stop());
        this.stream = null;
        if (this.video) {
            this.video.srcObject = null;
        }
    }
}

async function createDetector() {
    if ("BarcodeDetector" in window) {
        try {
            const formats = await window.BarcodeDetector.getSupportedFormats();
            if (formats.includes("qr_code")) {
                return { detector: new window.BarcodeDetector({ formats: ["qr_code"] }), engine: "native" };
            }
        } catch {
            // Declared but not working (some desktop builds): the polyfill below.
        }
    }

    const { BarcodeDetector, prepareZXingModule } = await import("../lib/barcode-detector/ponyfill.js");
    const wasm = new URL("../lib/barcode-detector/zxing_reader.wasm", import.meta.url).href;
    // Loaded now, from this server: a missing .wasm shows as "cannot scan" instead of a camera that reads nothing.
    await prepareZXingModule({
        overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? wasm : prefix + path) },
        fireImmediately: true,
    });
    return { detector: new BarcodeDetector({ formats: ["qr_code"] }), engine: "zxing-wasm" };
}

function cameraError(error) {
    switch (error?.name) {
        case "NotAllowedError":
        case "SecurityError":
            return "denied";
        case "NotFoundError":
        case "OverconstrainedError":
            return "nocamera";
        case "NotReadableError":
        case "AbortError":
            return "busy";
        default:
            console.warn("card scanner: camera", error);
            return "error";
    }
}

let audio;

function unlockAudio() {
    try {
        audio ??= new AudioContext();
        audio.resume().catch(() => {});
    } catch {
        // No Web Audio here.
    }
}

function beep(frequency, seconds) {
    if (audio?.state !== "running") {
        return;
    }

    try {

        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.15, audio.currentTime);
        gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + seconds);
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start();
        oscillator.stop(audio.currentTime + seconds);
    } catch {
        // No sound on this device; the banner says it all.
    }
}
