//! Photos and scans: JPEG passthrough with metadata removed, PNG/TIFF decoded losslessly (being written).
