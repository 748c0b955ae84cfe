"""The document camera (高拍仪): a UVC camera read with OpenCV, and the page in its picture found,
straightened to the page's own proportions and checked to be legible at print size."""
